using Azure;
using Azure.Data.Tables;
using ScimFunctions.Scim;
using ScimFunctions.Roles;

namespace ScimFunctions.Storage;

/// <summary>
/// A recompute's rows of one user in the directory's partition: its outbox row, assignment row
/// (<c>roles|{userId}</c>), holder rows, the user's <c>Active</c> and its <c>memberOf|</c> rows.
/// </summary>
public sealed class RoleRecomputeStore(ScimDataTable data) : IRoleRecomputeStore
{
    public async Task<RecomputeGuard> ReadGuardAsync(string directoryId, string userId, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var outbox = await table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.Outbox(userId), ["RowKey"], cancellationToken);
        var assignment = await table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.Assignment(userId), cancellationToken: cancellationToken);
        return new RecomputeGuard(
            outbox.HasValue ? outbox.Value!.ETag.ToString() : null,
            assignment.HasValue ? ToStored(assignment.Value!) : null);
    }

    public async Task<RecomputeInputs> ReadInputsAsync(string directoryId, string userId, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var active = ReadActiveAsync(table, partition, userId, cancellationToken);
        var groups = ReadGroupIdsAsync(table, partition, userId, cancellationToken);
        return new RecomputeInputs(await active, await groups);
    }

    public async Task<bool> TryCommitAsync(string directoryId, RecomputeGuard guard, AssignmentChange change, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var userId = change.UserId;
        var actions = new List<TableTransactionAction>();
        if (change.UserGone && guard.Assignment is { } gone)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Assignment(userId)), new ETag(gone.RowVersion)));
        }
        else if (!change.UserGone)
        {
            var assignment = new TableEntity(partition, PartitionLayout.Assignment(userId))
            {
                [RoleRows.RolesProperty] = RoleRows.WriteRoles(change.Wanted),
                [RoleRows.VersionProperty] = change.Version,
                [RoleRows.ComputedAtProperty] = change.At,
            };
            actions.Add(guard.Assignment is { } current
                ? new(TableTransactionActionType.UpdateReplace, assignment, new ETag(current.RowVersion))
                : new(TableTransactionActionType.Add, assignment));
        }
        foreach (var gained in change.Wanted.Except(change.Previous, StringComparer.Ordinal))
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PartitionLayout.Holder(gained, userId))));
        }
        foreach (var lost in change.Previous.Except(change.Wanted, StringComparer.Ordinal))
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Holder(lost, userId)), ETag.All));
        }
        if (change.LogChange)
        {
            var operation = change.UserGone ? ChangeLog.Deleted : ChangeLog.Updated;
            var entry = ChangeLog.Entry(partition, ChangeLog.RolesKind, operation, userId, change.At);
            entry[ChangeLog.RolesBeforeProperty] = RoleRows.WriteRoles(change.Previous);
            entry[ChangeLog.RolesAfterProperty] = RoleRows.WriteRoles(change.UserGone ? [] : change.Wanted);
            actions.Add(ChangeLog.Add(entry));
        }
        if (guard.OutboxVersion is { } outboxVersion)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Outbox(userId)), new ETag(outboxVersion)));
        }
        if (actions.Count == 0) return true;
        var table = await data.GetAsync(cancellationToken);
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException failure) when (failure.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    internal static StoredAssignment ToStored(TableEntity row) =>
        new(RoleRows.ReadRoles(row), row.GetInt64(RoleRows.VersionProperty) ?? 0, row.ETag.ToString());

    /// <summary>The user's Active (null when the user does not exist): 1 point read of one property.</summary>
    private static async Task<bool?> ReadActiveAsync(TableClient table, string partition, string userId, CancellationToken cancellationToken)
    {
        var user = await table.GetEntityIfExistsAsync<TableEntity>(partition, ResourceKind.User.DocumentKey(userId), [ResourceStore.ActiveProperty], cancellationToken);
        if (!user.HasValue) return null;
        if (user.Value!.GetBoolean(ResourceStore.ActiveProperty) is { } active) return active;
        // A row written before Active was kept as a property: read the document once.
        var document = await table.GetEntityAsync<TableEntity>(partition, ResourceKind.User.DocumentKey(userId), cancellationToken: cancellationToken);
        return UserActivity.IsActive(DocumentCodec.Read(document.Value));
    }

    private static async Task<IReadOnlyList<string>> ReadGroupIdsAsync(TableClient table, string partition, string userId, CancellationToken cancellationToken)
    {
        var groups = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            KeyRange.Under(partition, PartitionLayout.GroupsOfUserPrefix(userId)), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            groups.Add(PartitionLayout.LastSegment(row.RowKey));
        }
        return groups;
    }
}
