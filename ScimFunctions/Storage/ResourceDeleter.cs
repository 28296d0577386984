using Microsoft.Extensions.Logging;
using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// Deletes of one kind's resources. Plan: one transaction removes the document and its index rows and leaves a
/// <c>deleting|</c> marker (for a user, also its outbox row, so its roles are withdrawn); from then on the
/// resource is gone for every reader and the name is free, and the kind's count is one less (<see cref="CountShards"/>). Then the memberships are removed in pairs
/// (<see cref="MembershipStore"/>), and the marker last. That first transaction is the commit: if a later step
/// fails the delete still succeeds, and the periodic sweep (<see cref="ResumePendingDeletesAsync"/>) or deleting
/// again finishes the job. Round trips: 1 R + 1 T, then the cleanup.
/// </summary>
/// <param name="positions">told of every delete, so this instance's index paging shows it at once</param>
internal sealed class ResourceDeleter(TableClient table, ResourceKind kind, ResourceReader reader, MembershipCleanup memberships, ListPositionsCache positions, CountShards counts, ScimStorageOptions options, TimeProvider time, ILogger logger)
{
    /// <exception cref="ResourceNotFoundException"></exception>
    /// <exception cref="VersionMismatchException"></exception>
    public async Task DeleteAsync(string directoryId, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var strictVersion = ifMatch is not null && ifMatch.Trim() != "*";
        for (var attempt = 1; ; attempt++)
        {
            var entity = await reader.ReadDocumentEntityAsync(partition, id,
                [ResourceEntityMapper.NameProperty, ResourceEntityMapper.ExternalIdProperty, ResourceEntityMapper.IndexedEmailsProperty], cancellationToken);
            if (entity is null)
            {
                var marker = PartitionLayout.IsServerId(id)
                    ? await table.GetEntityIfExistsAsync<TableEntity>(partition, kind.DeletingKey(id), ["RowKey"], cancellationToken)
                    : null;
                if (marker is not { HasValue: true }) throw new ResourceNotFoundException(kind.ResourceType, id);
                await FinishDeleteAsync(directoryId, id, cancellationToken);
                return;
            }
            if (ifMatch is not null && !ResourceVersion.Matches(ifMatch, ResourceVersion.FromETag(entity.ETag)))
            {
                throw new VersionMismatchException(kind.ResourceType, id);
            }
            var now = time.GetUtcNow();
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Delete, new TableEntity(partition, kind.DocumentKey(id)), entity.ETag),
                new(TableTransactionActionType.Delete, new TableEntity(partition, kind.UniqueNameKey(entity.GetString(ResourceEntityMapper.NameProperty)!)), ETag.All),
                new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, kind.DeletingKey(id))),
            };
            if (entity.GetString(ResourceEntityMapper.ExternalIdProperty) is { } externalId)
            {
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, kind.ExternalIdKey(externalId, id)), ETag.All));
            }
            foreach (var email in ResourceEntityMapper.IndexedEmailsOf(entity))
            {
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.UserEmail(email, id)), ETag.All));
            }
            if (kind == ResourceKind.User)
            {
                actions.Add(OutboxRules.UserDeleted(partition, id, now));
            }
            actions.Add(ChangeLog.Add(ChangeLog.Entry(partition, kind.ResourceType, ChangeLog.Deleted, id, now)));
            try
            {
                await counts.SubmitAsync(table, partition, kind, -1, actions, cancellationToken);
                positions.Invalidate(partition, kind);
            }
            catch (TableTransactionFailedException failure) when (failure.IsStatus(412, actionIndex: 0) || failure.IsStatus(404, actionIndex: 0))
            {
                if (strictVersion || attempt >= options.MaxConcurrencyRetries) throw new VersionMismatchException(kind.ResourceType, id);
                continue;
            }
            try
            {
                await FinishDeleteAsync(directoryId, id, cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Committed: answering a failure now would invite a retry of a delete that already happened.
                logger.LogWarning(failure, "{Kind} {Id} of directory {DirectoryId} is deleted; its membership cleanup failed and is left to the sweep", kind.ResourceType, id, directoryId);
            }
            return;
        }
    }

    /// <summary>Finishes the deletes of this kind in a directory whose membership cleanup was interrupted. Returns how many.</summary>
    public async Task<int> ResumePendingDeletesAsync(string directoryId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            KeyRange.Under(PartitionLayout.Partition(directoryId), PartitionLayout.DeletingOf(kind)), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(PartitionLayout.LastSegment(row.RowKey));
        }
        foreach (var id in ids) await FinishDeleteAsync(directoryId, id, cancellationToken);
        return ids.Count;
    }

    private async Task FinishDeleteAsync(string directoryId, string id, CancellationToken cancellationToken)
    {
        await memberships.RemoveAllMembershipsOfDeletedAsync(directoryId, kind, id, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(PartitionLayout.Partition(directoryId), kind.DeletingKey(id), ETag.All, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            // Another caller finished the same delete.
        }
    }
}
