using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// Group memberships as rows, both directions: <c>member|{groupId}|{userId}</c> (Display = the user's
/// display) and <c>memberOf|{userId}|{groupId}</c> (Display = the group's displayName). A change never reads
/// or rewrites a group's member list, so a group of 100,000 members costs the same to change as one of 10.
/// <para>
/// Batch plan of <see cref="ApplyAsync"/>: each transaction starts with a merge on the group document (it
/// updates <c>lastModified</c> and the version, and fails if the group was deleted, so no membership can
/// outlive its group) and the transaction's change-log row (<see cref="ChangeLog"/>: the group and the users
/// it added and removed), followed by whole units of 4 operations per user: the member row, the memberOf row,
/// the user's <c>outbox|{userId}</c> row and a merge on the user's document. That merge moves the user's
/// version and <c>lastModified</c> (its <c>groups</c> changed) and fails if the user was deleted, so no
/// membership can outlive its user either: the unit is then dropped, as if the delete had come after the add
/// and removed it. So 24 users per transaction (2 + 24 × 4 = 98 operations), and a change naming N users costs
/// ⌈N/24⌉ write transactions, plus 1 read of the group (none when the caller has just read it), N parallel
/// point reads validating the added users (key + display only; before any write), and for a replace-all the
/// key-only reads of the current members (1 per 1,000). Removing a non-member costs one retried transaction.
/// </para>
/// <para>
/// Display freshness: the display on membership rows is copied when the membership is written and refreshed
/// right after a rename commits (<see cref="ResourceStore.UpdateAsync"/>: ⌈K/100⌉ transactions for K
/// memberships). The refresh is not atomic with the rename; if it is interrupted, some rows show the old
/// display until the next rename. Role recomputation must therefore resolve group names from group documents,
/// not from these rows; a group rename writes <c>groupOutbox|{groupId}</c> with the rename itself.
/// </para>
/// </summary>
public sealed class MembershipStore
{
    private readonly TableClient _table;
    private readonly ScimStorageOptions _options;

    internal MembershipStore(TableClient table, ScimStorageOptions options)
    {
        _table = table;
        _options = options;
    }

    /// <summary>Operations per user in a membership change: member row, memberOf row, outbox row, user document merge.</summary>
    public const int OperationsPerMember = 4;

    /// <summary>Header operations of each transaction of <see cref="ApplyAsync"/>: the group merge and the change-log row.</summary>
    public const int HeaderOperations = 2;

    /// <summary>Users per write transaction of <see cref="ApplyAsync"/>: (100 − 2 header) / 4 = 24.</summary>
    public static int MembersPerTransaction => TransactionBatcher.UnitsPerTransaction(HeaderOperations, OperationsPerMember);

    /// <summary>
    /// Applies membership operations to a group, in order (they are netted first, so "remove all, then add
    /// A" writes only the difference). Added ids must be users of this directory, checked before any write.
    /// Re-adding a member and removing a non-member are harmless.
    /// </summary>
    /// <exception cref="ResourceNotFoundException">no such group</exception>
    /// <exception cref="InvalidStoreValueException">some added ids are not users of this directory; nothing was written</exception>
    public Task<MembershipChangeResult> ApplyAsync(string directoryId, string groupId, IEnumerable<MembershipOperation> operations, CancellationToken cancellationToken = default) =>
        ApplyAsync(directoryId, groupId, operations, readGroupDisplay: null, cancellationToken);

    /// <summary>
    /// As <see cref="ApplyAsync(string, string, IEnumerable{MembershipOperation}, CancellationToken)"/>, for a caller
    /// that has just read the group: <paramref name="readGroupDisplay"/> is its display, which saves the read of
    /// the group (each transaction still fails if the group has been deleted since).
    /// </summary>
    public async Task<MembershipChangeResult> ApplyAsync(string directoryId, string groupId, IEnumerable<MembershipOperation> operations, string? readGroupDisplay, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var net = MembershipNet.Of(operations);
        if (!PartitionLayout.IsServerId(groupId)) throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, groupId);
        var groupDisplay = readGroupDisplay;
        if (groupDisplay is null)
        {
            var group = await _table.GetEntityIfExistsAsync<TableEntity>(
                partition, ResourceKind.Group.DocumentKey(groupId), [ResourceStore.DisplayProperty], cancellationToken);
            if (!group.HasValue) throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, groupId);
            groupDisplay = group.Value!.GetString(ResourceStore.DisplayProperty);
        }

        HashSet<string> toAdd, toRemove;
        if (net.ReplaceWith is { } wanted)
        {
            var existing = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var member in StreamKeysAsync(partition, PartitionLayout.MembersOfGroupPrefix(groupId), null, cancellationToken))
            {
                existing.Add(member);
            }
            toAdd = [.. wanted.Except(existing)];
            toRemove = [.. existing.Except(wanted)];
        }
        else
        {
            toAdd = net.Add;
            toRemove = net.Remove;
        }
        toRemove.RemoveWhere(id => !PartitionLayout.IsServerId(id)); // never a member, so removing it is a no-op
        var userDisplays = await ReadUserDisplaysAsync(partition, toAdd, cancellationToken);
        if (toAdd.Count + toRemove.Count == 0) return new MembershipChangeResult(0, 0, 0);

        var now = DateTimeOffset.UtcNow;
        var touchGroup = new TableEntity(partition, ResourceKind.Group.DocumentKey(groupId)) { [ResourceStore.LastModifiedProperty] = now };
        var batcher = new TransactionBatcher(_table, [new(TableTransactionActionType.UpdateMerge, touchGroup, ETag.All)], cancellationToken,
            units => ChangeLog.Add(MembershipChangeEntry(partition, groupId, units)));
        try
        {
            foreach (var userId in toRemove.Order(StringComparer.Ordinal))
            {
                await batcher.AddAsync(new TransactionUnit(
                [
                    new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Member(groupId, userId)), ETag.All),
                    new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.MemberOf(userId, groupId)), ETag.All),
                    OutboxRules.UserMembershipChanged(partition, userId, now),
                    TouchUser(partition, userId, now),
                ], DropIfMissing: true, RemovedLabel + userId));
            }
            foreach (var userId in toAdd.Order(StringComparer.Ordinal))
            {
                await batcher.AddAsync(new TransactionUnit(
                [
                    new(TableTransactionActionType.UpsertReplace, MembershipEntity(partition, PartitionLayout.Member(groupId, userId), userDisplays[userId])),
                    new(TableTransactionActionType.UpsertReplace, MembershipEntity(partition, PartitionLayout.MemberOf(userId, groupId), groupDisplay)),
                    OutboxRules.UserMembershipChanged(partition, userId, now),
                    TouchUser(partition, userId, now),
                ], DropIfMissing: true, AddedLabel + userId));
            }
            await batcher.FlushAsync();
        }
        catch (TableTransactionFailedException failure) when (failure.IsStatus(404, actionIndex: 0))
        {
            // The group was deleted meanwhile; batches committed before that are removed by the group's delete.
            throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, groupId);
        }
        var droppedAdds = batcher.Dropped.Count(u => u.Label!.StartsWith(AddedLabel, StringComparison.Ordinal));
        return new MembershipChangeResult(toAdd.Count - droppedAdds, toRemove.Count - (batcher.Dropped.Count - droppedAdds), batcher.Transactions);
    }

    /// <summary>The guard on a member's document: it fails (404) once the user is deleted, and marks the user changed.</summary>
    private static TableTransactionAction TouchUser(string partition, string userId, DateTimeOffset now) =>
        new(TableTransactionActionType.UpdateMerge,
            new TableEntity(partition, ResourceKind.User.DocumentKey(userId)) { [ResourceStore.LastModifiedProperty] = now }, ETag.All);

    /// <summary>Whether the user is a member of the group: 1 point read.</summary>
    public async Task<bool> IsMemberAsync(string directoryId, string groupId, string userId, CancellationToken cancellationToken = default)
    {
        if (!PartitionLayout.IsServerId(groupId) || !PartitionLayout.IsServerId(userId)) return false;
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(
            PartitionLayout.Partition(directoryId), PartitionLayout.Member(groupId, userId), ["RowKey"], cancellationToken);
        return row.HasValue;
    }

    /// <summary>A page of a group's members in user-id order, key and display only (1 read per 1,000).
    /// Pass the previous page's <c>ContinueAfter</c> as <paramref name="afterUserId"/>; it is null on the last page.</summary>
    public async Task<(IReadOnlyList<MembershipReference> Members, string? ContinueAfter)> ListMembersAsync(
        string directoryId, string groupId, string? afterUserId, int maxCount, CancellationToken cancellationToken = default)
    {
        if (afterUserId is not null && !PartitionLayout.IsServerId(afterUserId)) throw new InvalidCursorException();
        var members = new List<MembershipReference>();
        var more = false;
        await foreach (var member in StreamAsync(PartitionLayout.Partition(directoryId), PartitionLayout.MembersOfGroupPrefix(groupId), afterUserId, Math.Min(1000, maxCount + 1), cancellationToken))
        {
            if (members.Count == maxCount)
            {
                more = true;
                break;
            }
            members.Add(member);
        }
        return (members, more && members.Count > 0 ? members[^1].Id : null);
    }

    /// <summary>All members of a group, key and display only, streamed (1 read per 1,000).</summary>
    public IAsyncEnumerable<MembershipReference> StreamMembersAsync(string directoryId, string groupId, CancellationToken cancellationToken = default) =>
        StreamAsync(PartitionLayout.Partition(directoryId), PartitionLayout.MembersOfGroupPrefix(groupId), null, null, cancellationToken);

    /// <summary>The groups a user is a direct member of, with their display names (for the user's read-only
    /// <c>groups</c> and for role recomputation): 1 read per 1,000 groups.</summary>
    public async Task<IReadOnlyList<MembershipReference>> ListGroupsOfUserAsync(string directoryId, string userId, CancellationToken cancellationToken = default)
    {
        var groups = new List<MembershipReference>();
        await foreach (var group in StreamAsync(PartitionLayout.Partition(directoryId), PartitionLayout.GroupsOfUserPrefix(userId), null, null, cancellationToken))
        {
            groups.Add(group);
        }
        return groups;
    }

    /// <summary>Copies a new display onto the other side's membership rows: ⌈K/100⌉ transactions for K memberships.</summary>
    internal async Task RefreshDisplayAsync(string directoryId, ResourceKind kind, string id, string? display, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var batcher = new TransactionBatcher(_table, [], cancellationToken);
        var ownPrefix = kind == ResourceKind.User ? PartitionLayout.GroupsOfUserPrefix(id) : PartitionLayout.MembersOfGroupPrefix(id);
        await foreach (var otherId in StreamKeysAsync(partition, ownPrefix, null, cancellationToken))
        {
            var mirrorKey = kind == ResourceKind.User ? PartitionLayout.Member(otherId, id) : PartitionLayout.MemberOf(otherId, id);
            await batcher.AddAsync(new TransactionUnit(
                [new(TableTransactionActionType.UpdateMerge, MembershipEntity(partition, mirrorKey, display), ETag.All)],
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
    internal async Task RemoveAllMembershipsOfDeletedAsync(string directoryId, ResourceKind kind, string id, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var ownPrefix = kind == ResourceKind.User ? PartitionLayout.GroupsOfUserPrefix(id) : PartitionLayout.MembersOfGroupPrefix(id);
        var usersWithoutDocument = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var now = DateTimeOffset.UtcNow;
            var batcher = new TransactionBatcher(_table, [], cancellationToken);
            var found = 0;
            await foreach (var otherId in StreamKeysAsync(partition, ownPrefix, null, cancellationToken))
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
                    if (!usersWithoutDocument.Contains(userId)) actions.Add(TouchUser(partition, userId, now));
                }
                await batcher.AddAsync(new TransactionUnit(actions, DropIfMissing: true, Label: userId));
            }
            await batcher.FlushAsync();
            if (found == 0) return;
            // A dropped unit either lost a row to another remover (gone on the next scan) or found no member document.
            foreach (var dropped in batcher.Dropped) usersWithoutDocument.Add(dropped.Label!);
        }
    }

    private async Task<Dictionary<string, string?>> ReadUserDisplaysAsync(string partition, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var displays = new System.Collections.Concurrent.ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        var missing = new System.Collections.Concurrent.ConcurrentBag<string>(userIds.Where(id => !PartitionLayout.IsServerId(id)));
        await Parallel.ForEachAsync(
            userIds.Where(PartitionLayout.IsServerId),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelReads, CancellationToken = cancellationToken },
            async (userId, token) =>
            {
                var user = await _table.GetEntityIfExistsAsync<TableEntity>(
                    partition, ResourceKind.User.DocumentKey(userId), [ResourceStore.DisplayProperty], token);
                if (user.HasValue) displays[userId] = user.Value!.GetString(ResourceStore.DisplayProperty);
                else missing.Add(userId);
            });
        if (!missing.IsEmpty)
        {
            var ids = missing.Order(StringComparer.Ordinal).ToList();
            throw new InvalidStoreValueException($"Not users of this directory: {string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? ", ..." : "")}.", ids);
        }
        return new Dictionary<string, string?>(displays, StringComparer.Ordinal);
    }

    private const string AddedLabel = "+";
    private const string RemovedLabel = "-";

    /// <summary>One change-log row per transaction: the group, and the users this transaction added and removed.</summary>
    private static TableEntity MembershipChangeEntry(string partition, string groupId, IReadOnlyList<TransactionUnit> units)
    {
        var entry = ChangeLog.Entry(partition, ChangeLog.MembershipKind, ChangeLog.Updated, groupId, DateTimeOffset.UtcNow);
        entry[ChangeLog.AddedProperty] = string.Join(',', units.Where(u => u.Label!.StartsWith(AddedLabel, StringComparison.Ordinal)).Select(u => u.Label![1..]));
        entry[ChangeLog.RemovedProperty] = string.Join(',', units.Where(u => u.Label!.StartsWith(RemovedLabel, StringComparison.Ordinal)).Select(u => u.Label![1..]));
        return entry;
    }

    private static TableEntity MembershipEntity(string partition, string rowKey, string? display) =>
        new(partition, rowKey) { [ResourceStore.DisplayProperty] = display };

    private async IAsyncEnumerable<string> StreamKeysAsync(string partition, string prefix, string? afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _table.QueryAsync<TableEntity>(RangeAfter(partition, prefix, afterId), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            yield return PartitionLayout.LastSegment(row.RowKey);
        }
    }

    private async IAsyncEnumerable<MembershipReference> StreamAsync(string partition, string prefix, string? afterId, int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _table.QueryAsync<TableEntity>(
            RangeAfter(partition, prefix, afterId), pageSize, ["RowKey", ResourceStore.DisplayProperty], cancellationToken))
        {
            yield return new MembershipReference(PartitionLayout.LastSegment(row.RowKey), row.GetString(ResourceStore.DisplayProperty));
        }
    }

    private static string RangeAfter(string partition, string prefix, string? afterId) => afterId is null
        ? ResourceStore.RangeFilter(partition, prefix, PartitionLayout.PrefixEnd(prefix))
        : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {prefix + afterId} and RowKey lt {PartitionLayout.PrefixEnd(prefix)}");
}

/// <summary>The net effect of membership operations applied in order: either "replace with this set" or
/// "add these, remove those" (disjoint).</summary>
internal sealed record MembershipNet(HashSet<string>? ReplaceWith, HashSet<string> Add, HashSet<string> Remove)
{
    public static MembershipNet Of(IEnumerable<MembershipOperation> operations)
    {
        HashSet<string>? replaceWith = null;
        var add = new HashSet<string>(StringComparer.Ordinal);
        var remove = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case MembershipOperationKind.RemoveAll:
                    replaceWith = new HashSet<string>(StringComparer.Ordinal);
                    add.Clear();
                    remove.Clear();
                    break;
                case MembershipOperationKind.ReplaceAll:
                    replaceWith = new HashSet<string>(operation.UserIds, StringComparer.Ordinal);
                    add.Clear();
                    remove.Clear();
                    break;
                case MembershipOperationKind.Add when replaceWith is not null:
                    replaceWith.UnionWith(operation.UserIds);
                    break;
                case MembershipOperationKind.Remove when replaceWith is not null:
                    replaceWith.ExceptWith(operation.UserIds);
                    break;
                case MembershipOperationKind.Add:
                    add.UnionWith(operation.UserIds);
                    remove.ExceptWith(operation.UserIds);
                    break;
                case MembershipOperationKind.Remove:
                    remove.UnionWith(operation.UserIds);
                    add.ExceptWith(operation.UserIds);
                    break;
            }
        }
        return new MembershipNet(replaceWith, add, remove);
    }
}
