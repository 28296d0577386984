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
        var holders = HolderActions(partition, guard, change);
        var closing = ClosingActions(partition, guard, change).ToList();
        var table = await data.GetAsync(cancellationToken);
        if (guard.Assignment?.Staged is null && holders.Count + closing.Count + 1 <= TransactionBatcher.MaxOperations)
        {
            var actions = new List<TableTransactionAction>();
            if (AssignmentAction(partition, change, guard.Assignment is { } current ? new ETag(current.RowVersion) : null) is { } assignment) actions.Add(assignment);
            actions.AddRange(holders.Select(h => h.Action));
            actions.AddRange(closing);
            if (actions.Count == 0) return true;
            return await TrySubmitAsync(table, actions, cancellationToken) is not null;
        }
        return await TryCommitInStepsAsync(table, partition, guard, change, holders, closing, cancellationToken);
    }

    /// <summary>
    /// A change whose holder rows do not fit in one transaction with the assignment (or one that finishes an
    /// interrupted such change): first the assignment row records the role set being written (<c>StagedRoles</c>,
    /// guarded by the version read), then the holder rows in transactions of up to 100, then the final write —
    /// the assignment, the change-log row and the outbox row's delete — guarded by the version the first step
    /// gave. Until that final write the outbox row stays, so a crash in between leaves the user pending: the
    /// retry or the sweep recomputes it, sees <c>StagedRoles</c>, and reconciles every holder row the staged and
    /// the stored sets may have left (deletes of rows already gone are dropped).
    /// </summary>
    private static async Task<bool> TryCommitInStepsAsync(
        TableClient table, string partition, RecomputeGuard guard, AssignmentChange change,
        IReadOnlyList<(TableTransactionAction Action, bool IsDelete)> holders, List<TableTransactionAction> closing, CancellationToken cancellationToken)
    {
        var userId = change.UserId;
        var staged = RoleRows.WriteRoles(change.UserGone ? [] : change.Wanted);
        TableTransactionAction stage = guard.Assignment is { } current
            ? new(TableTransactionActionType.UpdateMerge, new TableEntity(partition, PartitionLayout.Assignment(userId)) { [RoleRows.StagedRolesProperty] = staged }, new ETag(current.RowVersion))
            : new(TableTransactionActionType.Add, new TableEntity(partition, PartitionLayout.Assignment(userId))
            {
                [RoleRows.RolesProperty] = RoleRows.WriteRoles([]),
                [RoleRows.VersionProperty] = 0L,
                [RoleRows.ComputedAtProperty] = change.At,
                [RoleRows.StagedRolesProperty] = staged,
            });
        if (await TrySubmitAsync(table, [stage], cancellationToken) is not { } staging) return false;
        var stagedVersion = staging.Value[0].Headers.ETag ?? ETag.All;

        var batcher = new TransactionBatcher(table, cancellationToken);
        foreach (var (action, isDelete) in holders) await batcher.AddAsync(new TransactionUnit([action], DropIfMissing: isDelete));
        await batcher.FlushAsync();

        var final = new List<TableTransactionAction>();
        if (AssignmentAction(partition, change, stagedVersion) is { } assignment) final.Add(assignment);
        final.AddRange(closing);
        return await TrySubmitAsync(table, final, cancellationToken) is not null;
    }

    /// <summary>The assignment's write guarded by <paramref name="version"/> (an insert when null); for a user
    /// that is gone, its delete, or nothing when it has none.</summary>
    private static TableTransactionAction? AssignmentAction(string partition, AssignmentChange change, ETag? version)
    {
        var key = PartitionLayout.Assignment(change.UserId);
        if (change.UserGone) return version is { } gone ? new(TableTransactionActionType.Delete, new TableEntity(partition, key), gone) : null;
        var assignment = new TableEntity(partition, key)
        {
            [RoleRows.RolesProperty] = RoleRows.WriteRoles(change.Wanted),
            [RoleRows.VersionProperty] = change.Version,
            [RoleRows.ComputedAtProperty] = change.At,
        };
        return version is { } current
            ? new(TableTransactionActionType.UpdateReplace, assignment, current)
            : new(TableTransactionActionType.Add, assignment);
    }

    /// <summary>Holder rows of roles gained (upserts) and lost (deletes); the lost include the roles an
    /// interrupted change staged, whose rows may exist.</summary>
    private static List<(TableTransactionAction Action, bool IsDelete)> HolderActions(string partition, RecomputeGuard guard, AssignmentChange change)
    {
        var userId = change.UserId;
        var wanted = change.UserGone ? [] : change.Wanted;
        var mayHold = change.Previous.Union(guard.Assignment?.Staged ?? [], StringComparer.Ordinal);
        var actions = new List<(TableTransactionAction, bool)>();
        foreach (var gained in wanted.Except(change.Previous, StringComparer.Ordinal))
        {
            actions.Add((new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PartitionLayout.Holder(gained, userId))), false));
        }
        foreach (var lost in mayHold.Except(wanted, StringComparer.Ordinal))
        {
            actions.Add((new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Holder(lost, userId)), ETag.All), true));
        }
        return actions;
    }

    /// <summary>What closes a recompute, in its last transaction: the change-log row and the outbox row's delete.</summary>
    private static IEnumerable<TableTransactionAction> ClosingActions(string partition, RecomputeGuard guard, AssignmentChange change)
    {
        var userId = change.UserId;
        if (change.LogChange)
        {
            var operation = change.UserGone ? ChangeLog.Deleted : ChangeLog.Updated;
            var entry = ChangeLog.Entry(partition, ChangeLog.RolesKind, operation, userId, change.At);
            entry[ChangeLog.RolesBeforeProperty] = RoleRows.WriteRoles(change.Previous);
            entry[ChangeLog.RolesAfterProperty] = RoleRows.WriteRoles(change.UserGone ? [] : change.Wanted);
            yield return ChangeLog.Add(entry);
        }
        if (guard.OutboxVersion is { } outboxVersion)
        {
            yield return new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Outbox(userId)), new ETag(outboxVersion));
        }
    }

    /// <returns>the responses, or null when a guard failed (someone wrote in between)</returns>
    private static async Task<Response<IReadOnlyList<Response>>?> TrySubmitAsync(TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            return await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException failure) when (failure.Status is 404 or 409 or 412)
        {
            return null;
        }
    }

    internal static StoredAssignment ToStored(TableEntity row) =>
        new(RoleRows.ReadRoles(row), row.GetInt64(RoleRows.VersionProperty) ?? 0, row.ETag.ToString(), RoleRows.ReadStagedRoles(row));

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
