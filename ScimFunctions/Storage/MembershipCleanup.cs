using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>What a user's or group's own write leaves to do on the other side's membership rows: a new
/// display copied onto them after a rename, and every membership removed after a delete.</summary>
internal sealed class MembershipCleanup(TableClient table, TimeProvider time)
{
    public const string DisplayProperty = "Display";

    /// <summary>The row that records a rename's refresh as due, written in the rename's own transaction.</summary>
    public static TableTransactionAction RefreshDue(string partition, ResourceKind kind, string id, string? display) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PartitionLayout.DisplayRefresh(kind, id)) { [DisplayProperty] = display });

    /// <summary>Refreshes the rows, then clears the due row if it is still the one <paramref name="due"/> names
    /// (a later rename rewrote it otherwise, and its own refresh clears it): the refresh plus 1 delete.</summary>
    public async Task FinishRefreshAsync(string directoryId, ResourceKind kind, string id, string? display, ETag due, CancellationToken cancellationToken)
    {
        await RefreshDisplayAsync(directoryId, kind, id, display, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(PartitionLayout.Partition(directoryId), PartitionLayout.DisplayRefresh(kind, id), due, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status is 404 or 412)
        {
            // Finished by another caller, or due again for a later rename.
        }
    }

    /// <summary>Finishes every due refresh of this kind in a directory (the sweep): 1 range read, then each refresh. Returns how many.</summary>
    public async Task<int> ResumeRefreshesAsync(string directoryId, ResourceKind kind, CancellationToken cancellationToken)
    {
        var due = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            KeyRange.Under(PartitionLayout.Partition(directoryId), PartitionLayout.DisplayRefreshOf(kind)), cancellationToken: cancellationToken))
        {
            due.Add(row);
        }
        foreach (var row in due)
        {
            await FinishRefreshAsync(directoryId, kind, PartitionLayout.LastSegment(row.RowKey), row.GetString(DisplayProperty), row.ETag, cancellationToken);
        }
        return due.Count;
    }

    /// <summary>Copies a new display onto the other side's membership rows: ⌈K/100⌉ transactions for K memberships.</summary>
    public async Task RefreshDisplayAsync(string directoryId, ResourceKind kind, string id, string? display, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var batcher = new TransactionBatcher(table, cancellationToken);
        var ownPrefix = kind == ResourceKind.User ? PartitionLayout.GroupsOfUserPrefix(id) : PartitionLayout.MembersOfGroupPrefix(id);
        await foreach (var otherId in ScimDataTable.KeysUnderAsync(table, partition, ownPrefix, null, null, cancellationToken))
        {
            var mirrorKey = kind == ResourceKind.User ? PartitionLayout.Member(otherId, id) : PartitionLayout.MemberOf(otherId, id);
            await batcher.AddAsync(new TransactionUnit(
                [new(TableTransactionActionType.UpdateMerge, MembershipRows.Entity(partition, mirrorKey, display), ETag.All)],
                DropIfMissing: true));
        }
        await batcher.FlushAsync();
    }

    /// <summary>
    /// Removes every membership of a deleted user or group, each in pairs (both directions in the same
    /// transaction, never one side only). For a group, each pair goes with the member's outbox row and a merge
    /// on the member's document, so its version and <c>lastModified</c> move as they do when it leaves a group:
    /// 25 members per transaction. For a user, 50 memberships per transaction. Scans again until nothing is
    /// left, so a membership written while the delete ran is removed too; a member whose document is gone
    /// (being deleted itself) is removed on the next pass without the merge. Safe to run again after a failure.
    /// </summary>
    public async Task RemoveAllMembershipsOfDeletedAsync(string directoryId, ResourceKind kind, string id, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var ownPrefix = kind == ResourceKind.User ? PartitionLayout.GroupsOfUserPrefix(id) : PartitionLayout.MembersOfGroupPrefix(id);
        var usersWithoutDocument = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var now = time.GetUtcNow();
            var batcher = new TransactionBatcher(table, cancellationToken);
            var found = 0;
            await foreach (var otherId in ScimDataTable.KeysUnderAsync(table, partition, ownPrefix, null, null, cancellationToken))
            {
                found++;
                var (groupId, userId) = kind == ResourceKind.User ? (otherId, id) : (id, otherId);
                var actions = new List<TableTransactionAction>
                {
                    new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Member(groupId, userId)), ETag.All),
                    new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.MemberOf(userId, groupId)), ETag.All),
                };
                if (kind == ResourceKind.Group)
                {
                    actions.Add(OutboxRules.UserMembershipChanged(partition, userId, now));
                    if (!usersWithoutDocument.Contains(userId)) actions.Add(MembershipRows.TouchUser(partition, userId, now));
                }
                await batcher.AddAsync(new TransactionUnit(actions, DropIfMissing: true, Meaning: userId));
            }
            await batcher.FlushAsync();
            if (found == 0) return;
            // A dropped unit either lost a row to another remover (gone on the next scan) or found no member document.
            foreach (var dropped in batcher.Dropped) usersWithoutDocument.Add((string)dropped.Meaning!);
        }
    }
}
