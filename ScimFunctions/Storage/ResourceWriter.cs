using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ScimFunctions.Scim;

namespace ScimFunctions.Storage;

/// <summary>
/// Writes of one kind's documents, each one entity group transaction with its index rows, its
/// <see cref="ChangeLog"/> row and the outbox row <see cref="OutboxRules"/> asks for; a create also moves the
/// kind's count (<see cref="CountShards"/>). Round trips:
/// <see cref="CreateAsync"/> 1 T; <see cref="WriteAsync"/> 1 T (plus, when the display changed, the refresh of the
/// membership rows and 1 delete of the row that recorded it as due); <see cref="UpdateAsync"/> 1 R + 1 T. A user's create records its <c>outbox</c> row
/// in that transaction (the default role may apply to it).
/// Deletes are <see cref="ResourceDeleter"/>'s.
/// </summary>
internal sealed class ResourceWriter(
    TableClient table, ResourceEntityMapper mapper, ResourceReader reader, MembershipCleanup memberships,
    ListPositionsCache positions, CountShards counts, ScimStorageOptions options, TimeProvider time, ILogger logger)
{
    private ResourceKind Kind => mapper.Kind;

    /// <param name="alongside">rows committed in the same transaction, made from the new id, display and time (a new group's members)</param>
    /// <exception cref="UniquenessConflictException">the unique attribute is taken (also when two creates race: one wins)</exception>
    /// <exception cref="TableTransactionFailedException">an <paramref name="alongside"/> row failed; nothing was written</exception>
    public async Task<StoredResource> CreateAsync(string directoryId, JsonObject resource, CancellationToken cancellationToken,
        Func<string, string?, DateTimeOffset, IEnumerable<TableTransactionAction>>? alongside = null)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var id = PartitionLayout.NewId();
        var prepared = mapper.Prepare(resource, id);
        var now = time.GetUtcNow();
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, mapper.DocumentEntity(partition, id, prepared, now, now)),
            new(TableTransactionActionType.Add, mapper.UniqueNameEntity(partition, prepared.Name, id)),
        };
        if (prepared.ExternalId is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, Kind.ExternalIdKey(prepared.ExternalId, id))));
        }
        foreach (var email in prepared.Emails) actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PartitionLayout.UserEmail(email, id))));
        if (Kind == ResourceKind.User)
        {
            // A new user may be due the default role: recorded with the user itself, as every role-changing write is.
            actions.Add(OutboxRules.UserCreated(partition, id, now));
        }
        actions.Add(ChangeLog.Add(ChangeLog.Entry(partition, Kind.ResourceType, ChangeLog.Created, id, now)));
        if (alongside is not null) actions.AddRange(alongside(id, prepared.Display, now));
        try
        {
            var response = await counts.SubmitAsync(table, partition, Kind, +1, actions, cancellationToken);
            positions.Invalidate(partition, Kind);
            return mapper.ToStored(prepared.Document, response.Value[0].Headers.ETag ?? default, now, now);
        }
        catch (TableTransactionFailedException failure) when (failure.IsStatus(409, actionIndex: 1))
        {
            throw new UniquenessConflictException(Kind.UniqueAttribute, prepared.Name);
        }
    }

    /// <summary>Read-modify-write; retried from a fresh read when another write got in between and the caller
    /// gave no strict <paramref name="ifMatch"/>. <paramref name="apply"/> may run more than once.</summary>
    public async Task<StoredResource> UpdateAsync(string directoryId, string id, Func<JsonObject, JsonObject> apply, string? ifMatch, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var strictVersion = ifMatch is not null && ifMatch.Trim() != "*";
        for (var attempt = 1; ; attempt++)
        {
            var entity = await reader.ReadDocumentEntityAsync(partition, id, null, cancellationToken)
                ?? throw new ResourceNotFoundException(Kind.ResourceType, id);
            var current = mapper.ToStored(entity);
            if (ifMatch is not null && !ResourceVersion.Matches(ifMatch, current.Version))
            {
                throw new VersionMismatchException(Kind.ResourceType, id);
            }
            try
            {
                return await WriteAsync(directoryId, current, apply(current.Document.DeepClone().AsObject()), cancellationToken);
            }
            catch (VersionMismatchException) when (!strictVersion && attempt < options.MaxConcurrencyRetries)
            {
                // Another write got in between: apply again to what it left.
            }
        }
    }

    /// <summary>
    /// Replaces <paramref name="current"/> (as the caller read it) by <paramref name="replacement"/>, guarded by
    /// its version: one transaction, no read. Index rows move in the same transaction; a rename of a group
    /// records its <c>groupOutbox</c> row and a change of a user's <c>active</c> its <c>outbox</c> row there too.
    /// A replacement equal to <paramref name="current"/> writes nothing and returns it. A new display is copied onto the membership rows after the commit; the transaction records that as due
    /// (<c>displayRefresh|</c>), so if the copy fails the write still succeeds and the sweep finishes it.
    /// </summary>
    /// <param name="alongside">rows committed in the same transaction, after the document's own, made from the new
    /// display, the time and the index of their first operation (a group's member change); not asked for when the replacement changes nothing</param>
    /// <exception cref="VersionMismatchException">another write got in since <paramref name="current"/> was read</exception>
    /// <exception cref="ResourceNotFoundException"></exception>
    /// <exception cref="UniquenessConflictException"></exception>
    /// <exception cref="TableTransactionFailedException">an <paramref name="alongside"/> row failed; nothing was written</exception>
    public async Task<StoredResource> WriteAsync(string directoryId, StoredResource current, JsonObject replacement, CancellationToken cancellationToken,
        Func<string?, DateTimeOffset, int, IEnumerable<TableTransactionAction>>? alongside = null)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var id = current.Id;
        var before = mapper.Prepare(current.Document, id);
        var prepared = mapper.Prepare(replacement, id);
        var etag = ResourceVersion.ToETag(current.Version) ?? throw new VersionMismatchException(Kind.ResourceType, id);
        // Nothing to change: no write, so no change row, and a retried request leaves the log as one request would.
        if (JsonNode.DeepEquals(before.Document, prepared.Document)) return current;
        var now = time.GetUtcNow();
        var document = mapper.DocumentEntity(partition, id, prepared, current.Created, now);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, document, etag) };
        int? newNameIndex = null;
        if (Kind.UniqueNameKey(before.Name) != Kind.UniqueNameKey(prepared.Name))
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, Kind.UniqueNameKey(before.Name)), ETag.All));
            newNameIndex = actions.Count;
            actions.Add(new(TableTransactionActionType.Add, mapper.UniqueNameEntity(partition, prepared.Name, id)));
        }
        if (before.ExternalId != prepared.ExternalId)
        {
            if (before.ExternalId is not null)
            {
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, Kind.ExternalIdKey(before.ExternalId, id)), ETag.All));
            }
            if (prepared.ExternalId is not null)
            {
                actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, Kind.ExternalIdKey(prepared.ExternalId, id))));
            }
        }
        // A user stored before the email index has no email rows to remove; this write gives it all of them.
        var emailsBefore = current.EmailsIndexed ? before.Emails : [];
        foreach (var email in emailsBefore.Except(prepared.Emails, StringComparer.Ordinal))
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.UserEmail(email, id)), ETag.All));
        }
        foreach (var email in prepared.Emails.Except(emailsBefore, StringComparer.Ordinal))
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PartitionLayout.UserEmail(email, id))));
        }
        var displayChanged = !string.Equals(before.Display, prepared.Display, StringComparison.Ordinal);
        int? refreshDue = null;
        if (displayChanged)
        {
            refreshDue = actions.Count;
            actions.Add(MembershipCleanup.RefreshDue(partition, Kind, id, prepared.Display));
        }
        if (displayChanged && Kind == ResourceKind.Group)
        {
            // Role mappings may name groups by displayName: every member's roles are due, recorded with the rename.
            actions.Add(OutboxRules.GroupRenamed(partition, id, now));
        }
        if (Kind == ResourceKind.User && UserActivity.IsActive(before.Document) != UserActivity.IsActive(prepared.Document))
        {
            // Deactivation withdraws every role and reactivation restores them: recorded with the change itself.
            actions.Add(OutboxRules.UserActiveChanged(partition, id, now));
        }
        actions.Add(ChangeLog.Add(ChangeLog.Entry(partition, Kind.ResourceType, ChangeLog.Updated, id, now)));
        if (alongside is not null) actions.AddRange(alongside(prepared.Display, now, actions.Count));
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken);
            var stored = mapper.ToStored(prepared.Document, response.Value[0].Headers.ETag ?? default, current.Created, now);
            if (refreshDue is { } due) await RefreshAfterCommitAsync(directoryId, id, prepared.Display, response.Value[due].Headers.ETag ?? ETag.All, cancellationToken);
            return stored;
        }
        catch (TableTransactionFailedException failure) when (failure.IsStatus(412, actionIndex: 0))
        {
            throw new VersionMismatchException(Kind.ResourceType, id);
        }
        catch (TableTransactionFailedException failure) when (failure.IsStatus(404, actionIndex: 0))
        {
            throw new ResourceNotFoundException(Kind.ResourceType, id);
        }
        catch (TableTransactionFailedException failure) when (newNameIndex is not null && failure.IsStatus(409, newNameIndex))
        {
            throw new UniquenessConflictException(Kind.UniqueAttribute, prepared.Name);
        }
    }

    private async Task RefreshAfterCommitAsync(string directoryId, string id, string? display, ETag due, CancellationToken cancellationToken)
    {
        try
        {
            await memberships.FinishRefreshAsync(directoryId, Kind, id, display, due, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Committed, and recorded as due: answering a failure now would invite a retry of a write that happened.
            logger.LogWarning(failure, "{Kind} {Id} of directory {DirectoryId} was renamed; copying its display onto its memberships failed and is left to the sweep", Kind.ResourceType, id, directoryId);
        }
    }
}
