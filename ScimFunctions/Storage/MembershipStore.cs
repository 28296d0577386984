using System.Text.Json.Nodes;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim.Patch;

namespace ScimFunctions.Storage;

/// <summary>
/// Group memberships as rows, both directions: <c>member|{groupId}|{userId}</c> (Display = the user's
/// display) and <c>memberOf|{userId}|{groupId}</c> (Display = the group's displayName). A change never reads
/// or rewrites a group's member list, so a group of 100,000 members costs the same to change as one of 10.
/// <para>
/// Batch plan of <see cref="CommitAsync"/>: each transaction starts with a merge on the group document (it
/// updates <c>lastModified</c> and the version, and fails if the group was deleted, so no membership can
/// outlive its group) and the transaction's change-log row (<see cref="ChangeLog"/>: the group and the users
/// it added and removed), followed by whole units of 4 operations per user: the member row, the memberOf row,
/// the user's <c>outbox|{userId}</c> row and a merge on the user's document. That merge moves the user's
/// version and <c>lastModified</c> (its <c>groups</c> changed) and fails if the user was deleted, so no
/// membership can outlive its user either: the unit is then dropped, as if the delete had come after the add
/// and removed it. So 24 users per transaction (2 + 24 × 4 = 98 operations), and a change naming N users costs
/// ⌈N/24⌉ write transactions (⌈N/32⌉ under an <see cref="OutboxWaiver"/>, whose units leave the outbox row
/// out: the group maps to no role), plus (<see cref="PlanAsync"/>, before any write) N parallel point reads
/// validating the added users (key + display only) and for a replace-all the key-and-display reads of the current
/// members (1 per 1,000). Removing a non-member costs one retried transaction; adding a member again costs one
/// failed transaction and one key-only point read per add in it (<see cref="TransactionUnit.DropIfPresent"/>), and
/// writes nothing for that user. A change over more than one transaction records itself in the first
/// (<see cref="PendingGroupChanges"/>) and removes the record after the last: 1 transaction more. The group merge is
/// conditional on the group's version the caller read, and each next one on the version the previous
/// transaction gave it, so the group's new version comes back with the write and needs no read; a concurrent
/// write of the group (another request's member change too) breaks that chain, and the rest merges unconditionally (member changes never conflict)
/// and the group is read once at the end.
/// </para>
/// <para>
/// Display freshness: the display on membership rows is copied when the membership is written and refreshed
/// right after a rename commits (<see cref="MembershipCleanup.RefreshDisplayAsync"/>). The refresh is not
/// atomic with the rename; if it is interrupted, some rows show the old display until the next rename. Role recomputation must therefore resolve group names from group documents,
/// not from these rows; a group rename writes <c>groupOutbox|{groupId}</c> with the rename itself.
/// </para>
/// </summary>
public sealed class MembershipStore : IGroupMemberships
{
    private readonly TableClient _table;
    private readonly ScimStorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ResourceEntityMapper _groups = new(ResourceKind.Group);

    internal MembershipStore(TableClient table, ScimStorageOptions options, TimeProvider time)
    {
        _table = table;
        _options = options;
        _time = time;
        PendingChanges = new PendingGroupChanges(table, this, time);
    }

    /// <summary>Member changes too large for their document's transaction, recorded until they commit.</summary>
    public PendingGroupChanges PendingChanges { get; }

    /// <summary>Operations per user in a membership change: member row, memberOf row, outbox row, user document merge.</summary>
    public const int OperationsPerMember = 4;

    /// <summary>Header operations of each transaction of a membership change: the group merge and the change-log row.</summary>
    public const int HeaderOperations = 2;

    /// <summary>Users per write transaction of a membership change: (100 − 2 header) / 4 = 24.</summary>
    public static int MembersPerTransaction => TransactionBatcher.UnitsPerTransaction(HeaderOperations, OperationsPerMember);

    /// <summary>The group's own rows in its create transaction: document, name, externalId, change row, count shard.</summary>
    public const int CreateOperations = 5;

    /// <summary>Members a new group is created with in its own transaction: (100 − 5 − 1 change row) / 4 = 23.</summary>
    public static int MembersInCreate => TransactionBatcher.UnitsPerTransaction(CreateOperations + 1, OperationsPerMember);

    /// <summary>The most operations a group's document write takes: document, old and new name rows, old and new
    /// externalId rows, the display refresh row, the groupOutbox row of a rename and the change row.</summary>
    public const int MaxReplaceOperations = 8;

    /// <summary>Users whose membership change commits with the group's document write in its transaction:
    /// (100 − 8 − 1 change row) / 4 = 22.</summary>
    public static int MembersInReplace => TransactionBatcher.UnitsPerTransaction(MaxReplaceOperations + 1, OperationsPerMember);

    /// <summary>The group store, for a create that commits its members with it (set by <see cref="ScimStore"/>).</summary>
    internal ResourceStore? Groups { get; set; }

    /// <summary>
    /// Creates a group with the members of <paramref name="plan"/> (planned for any id; at most
    /// <see cref="MembersInCreate"/>) in one transaction: the group, its index rows, each member's rows, outbox
    /// row and document merge, and one membership change row. So a failure leaves nothing, not even a change row.
    /// </summary>
    /// <exception cref="InvalidStoreValueException">a planned member was deleted meanwhile; nothing was written</exception>
    /// <exception cref="UniquenessConflictException"></exception>
    public async Task<StoredResource> CreateGroupAsync(string directoryId, JsonObject group, MembershipPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan.ToAdd.Count > MembersInCreate || plan.ToRemove.Count > 0) throw new ArgumentException($"A group is created with at most {MembersInCreate} members, none removed.", nameof(plan));
        var partition = PartitionLayout.Partition(directoryId);
        var members = MemberUnit.Of(plan);
        try
        {
            return await Groups!.CreateAsync(directoryId, group, (groupId, groupDisplay, now) =>
            {
                var actions = members.SelectMany(unit => unit.Actions(partition, groupId, groupDisplay, now, withOutbox: true)).ToList();
                // One tick after the group's own created row, so the change log (and the webhooks built on it) has the
                // group before its members; at the same stamp the keys' random tails would order them by chance.
                actions.Add(ChangeLog.Add(MemberUnit.ChangeEntry(partition, groupId, members, now + TimeSpan.FromTicks(1))));
                return actions;
            }, cancellationToken);
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 404 && failure.FailedTransactionActionIndex is { } index)
        {
            // Only a member's document merge can miss (at index {index}): a user was deleted between the check and the write.
            _ = index;
            var gone = members.Select(m => m.UserId).ToList();
            throw new InvalidStoreValueException("A member was deleted while the group was being created; nothing was written.", gone);
        }
    }

    /// <summary>
    /// Replaces the document of <paramref name="current"/> (as the caller read it) and writes the member change of
    /// <paramref name="plan"/>. When the change names at most <see cref="MembersInReplace"/> users, both commit in one
    /// transaction: the document's own rows, then each user's unit as <see cref="CommitAsync"/> writes it and one
    /// membership change row a tick after the group's (so the log has the group's change before its members'),
    /// so a failure leaves the group as it was. A larger change writes the document first, with a record of the
    /// member change (<see cref="PendingGroupChanges"/>: the sweep finishes it if the request stops), then the
    /// members, then removes the record.
    /// A unit whose row is missing (the user was deleted, or a removed id was no member) is dropped and the
    /// transaction sent again without it, as <see cref="CommitAsync"/> does. A replacement equal to the document
    /// writes the members only.
    /// </summary>
    /// <exception cref="VersionMismatchException">another write got in since <paramref name="current"/> was read; nothing was written</exception>
    /// <exception cref="ResourceNotFoundException">the group was deleted</exception>
    /// <exception cref="UniquenessConflictException"></exception>
    public async Task<MembershipChangeResult> ReplaceGroupAsync(string directoryId, StoredResource current, JsonObject replacement, MembershipPlan plan, CancellationToken cancellationToken = default, OutboxWaiver? waiver = null)
    {
        var partition = PartitionLayout.Partition(directoryId);
        if (plan.ToAdd.Count + plan.ToRemove.Count > MembersInReplace)
        {
            // The document's transaction records the member change, so the sweep finishes it if the request stops.
            DateTimeOffset? stamp = null;
            var recordedParts = 0;
            var writeKey = "";
            var written = await Groups!.WriteAsync(directoryId, current, replacement, (_, now, _) =>
            {
                stamp = now;
                (writeKey, var rows) = PendingGroupChanges.Record(partition, current.Id, now, plan);
                recordedParts = rows.Count;
                return rows;
            }, cancellationToken);
            var committed = await CommitAsync(directoryId, written, plan, cancellationToken, waiver, groupStamp: stamp);
            if (recordedParts > 0) await ClearRecordAsync(partition, current.Id, writeKey, recordedParts, cancellationToken);
            return committed;
        }
        var groupId = current.Id;
        var units = MemberUnit.Of(plan);
        while (true)
        {
            var built = false;
            var pending = new List<string>();
            var unitStarts = new List<(int Start, MemberUnit Unit)>();
            try
            {
                var stored = await Groups!.WriteAsync(directoryId, current, replacement, (groupDisplay, now, firstIndex) =>
                {
                    built = true;
                    var actions = new List<TableTransactionAction>();
                    foreach (var unit in units)
                    {
                        unitStarts.Add((firstIndex + actions.Count, unit));
                        // Checked as the unit is built, just before the transaction holding it is sent (as in CommitAsync).
                        var withOutbox = waiver?.HoldsAt(_time.GetUtcNow()) != true;
                        if (withOutbox) pending.Add(unit.UserId);
                        actions.AddRange(unit.Actions(partition, groupId, groupDisplay, now, withOutbox));
                    }
                    // One tick after the group's own change row, as a create stamps its members (see CreateGroupAsync).
                    if (units.Count > 0) actions.Add(ChangeLog.Add(MemberUnit.ChangeEntry(partition, groupId, units, now + TimeSpan.FromTicks(1))));
                    return actions;
                }, cancellationToken);
                if (!built)
                {
                    // The document is unchanged, so nothing was written: the members commit on their own.
                    var left = plan with
                    {
                        ToAdd = units.Where(u => u.IsAdd).ToDictionary(u => u.UserId, u => u.Display, StringComparer.Ordinal),
                        ToRemove = [.. units.Where(u => !u.IsAdd).Select(u => u.UserId)],
                    };
                    return await CommitAsync(directoryId, current, left, cancellationToken, waiver);
                }
                var added = units.Count(u => u.IsAdd);
                return new MembershipChangeResult(added, units.Count - added, 1, stored, pending);
            }
            catch (TableTransactionFailedException failure) when (failure.Status == 404
                && failure.FailedTransactionActionIndex is { } index && unitStarts.LastOrDefault(u => u.Start <= index).Unit is { } missing)
            {
                // A user was deleted, or a removed id was no member: leave that unit out, as CommitAsync drops it.
                units.Remove(missing);
            }
            catch (TableTransactionFailedException failure) when (failure.Status == 409
                && failure.FailedTransactionActionIndex is { } index && unitStarts.FirstOrDefault(u => u.Start == index).Unit is { IsAdd: true } present)
            {
                // The user joined meanwhile (another request's add): already a member, so that unit changes nothing.
                units.Remove(present);
            }
        }
    }

    /// <summary>
    /// Checks and resolves a membership change, writing nothing: added ids must be users of this directory
    /// (1 parallel point read each); a replace-all reads the current members (key and display) to write only the
    /// difference and to know the members it keeps.
    /// Removing a non-member is harmless, so ids this service never issued are simply left out.
    /// </summary>
    /// <exception cref="ResourceNotFoundException">the group id is not one this service issued</exception>
    /// <exception cref="InvalidStoreValueException">some added ids are not users of this directory</exception>
    public async Task<MembershipPlan> PlanAsync(string directoryId, string groupId, MembershipChange change, CancellationToken cancellationToken = default)
    {
        if (!PartitionLayout.IsServerId(groupId)) throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, groupId);
        var partition = PartitionLayout.Partition(directoryId);
        var named = change.AddedIds;
        HashSet<string> toAdd = new(named, StringComparer.Ordinal), toRemove = new(change.Removed, StringComparer.Ordinal);
        var affected = new HashSet<string>(toAdd.Concat(toRemove), StringComparer.Ordinal);
        Dictionary<string, string?>? kept = null;
        if (change.ReplaceAll)
        {
            // Key and display (the members it keeps are the answer's, with no read after the commit): 1 read per 1,000.
            var existing = new Dictionary<string, string?>(StringComparer.Ordinal);
            await foreach (var member in StreamAsync(partition, PartitionLayout.MembersOfGroupPrefix(groupId), cancellationToken)) existing[member.Id] = member.Display;
            affected.UnionWith(existing.Keys);
            toRemove = [.. existing.Keys.Except(toAdd)];
            toAdd.ExceptWith(existing.Keys);
            kept = existing.Where(member => !toRemove.Contains(member.Key)).ToDictionary(StringComparer.Ordinal);
        }
        toRemove.RemoveWhere(id => !PartitionLayout.IsServerId(id)); // never a member, so removing it is a no-op
        var displays = await ReadUserDisplaysAsync(partition, toAdd, cancellationToken);
        return new MembershipPlan(groupId, displays, toRemove, affected, kept);
    }

    /// <summary>
    /// Writes a planned change to <paramref name="group"/> (as the caller read or wrote it last): ⌈N/24⌉
    /// transactions, no read unless another write of the group got in between. Returns the group at its new version.
    /// </summary>
    /// <exception cref="ResourceNotFoundException">the group was deleted</exception>
    /// <param name="waiver">when it holds, a unit is written without its user's outbox row (the group maps to no
    /// role): checked as each unit is built, so a transaction sent after the waiver's window records outbox rows
    /// again.</param>
    /// <param name="groupStamp">the group's <c>lastModified</c> to write (a change recorded by
    /// <see cref="PendingGroupChanges"/> keeps its document write's time, which the sweep checks); default now</param>
    public async Task<MembershipChangeResult> CommitAsync(string directoryId, StoredResource group, MembershipPlan plan, CancellationToken cancellationToken = default, OutboxWaiver? waiver = null, DateTimeOffset? groupStamp = null)
    {
        if (plan.IsEmpty) return new MembershipChangeResult(0, 0, 0, group, []);
        var partition = PartitionLayout.Partition(directoryId);
        var groupId = group.Id;
        var groupDisplay = ResourceKind.Group.DisplayOf(group.Document);
        var now = _time.GetUtcNow();
        var groupModified = groupStamp ?? now;
        var pending = new List<string>();
        TransactionUnit Unit(MemberUnit unit)
        {
            // Checked as the unit is built, just before the transaction holding it is sent.
            var withOutbox = waiver?.HoldsAt(_time.GetUtcNow()) != true;
            if (withOutbox) pending.Add(unit.UserId);
            return new TransactionUnit(unit.Actions(partition, groupId, groupDisplay, now, withOutbox), DropIfMissing: true, unit) { DropIfPresent = unit.IsAdd };
        }
        var units = MemberUnit.Of(plan);
        // A change over more transactions than one records itself in the first (the sweep finishes it if the request
        // stops halfway) unless its caller's document write recorded it already.
        var recordParts = 0;
        var recordKey = "";
        // The version the next merge expects; ETag.All once the chain is broken by another writer.
        var expected = ResourceVersion.ToETag(group.Version) ?? ETag.All;
        var batcher = new TransactionBatcher(_table, cancellationToken, HeaderOperations, batch =>
            [
                new(TableTransactionActionType.UpdateMerge, new TableEntity(partition, ResourceKind.Group.DocumentKey(groupId)) { [ResourceEntityMapper.LastModifiedProperty] = groupModified }, expected),
                ChangeLog.Add(MemberUnit.ChangeEntry(partition, groupId, batch.Select(u => u.Meaning).OfType<MemberUnit>(), now)),
            ])
        {
            PresentAmong = candidates => PresentMembersAsync(partition, groupId, candidates, cancellationToken),
            RetryAfterHeaderFailure = failure =>
            {
                if (failure.Status != 412 || expected == ETag.All) return false;
                expected = ETag.All;
                return true;
            },
            Committed = responses => { if (expected != ETag.All) expected = responses[0].Headers.ETag ?? ETag.All; },
        };
        try
        {
            if (groupStamp is null && units.Count > MembersPerTransaction)
            {
                (recordKey, var record) = PendingGroupChanges.Record(partition, groupId, groupModified, plan);
                recordParts = record.Count;
                await batcher.AddAsync(new TransactionUnit(record, DropIfMissing: false) { RidesAlong = true });
            }
            foreach (var unit in units) await batcher.AddAsync(Unit(unit));
            await batcher.FlushAsync();
        }
        catch (TableTransactionFailedException failure) when (failure.IsStatus(404, actionIndex: 0))
        {
            // The group was deleted meanwhile; batches committed before that are removed by the group's delete.
            throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, groupId);
        }
        if (recordParts > 0 && batcher.Transactions > 0) await ClearRecordAsync(partition, groupId, recordKey, recordParts, cancellationToken);
        var droppedAdds = batcher.Dropped.Count(u => u.Meaning is MemberUnit { IsAdd: true }) + batcher.Present.Count;
        // Units left out wrote no outbox row, so their users need no signal.
        var leftOut = batcher.Dropped.Concat(batcher.Present).Select(u => ((MemberUnit)u.Meaning!).UserId).ToHashSet(StringComparer.Ordinal);
        if (leftOut.Count > 0) pending.RemoveAll(leftOut.Contains);
        var current = batcher.Transactions == 0 ? group
            : expected != ETag.All ? _groups.Touched(group, expected, groupModified)
            : await ReadGroupAsync(partition, groupId, cancellationToken);
        return new MembershipChangeResult(plan.ToAdd.Count - droppedAdds, plan.ToRemove.Count - (batcher.Dropped.Count - droppedAdds), batcher.Transactions, current, pending);
    }

    /// <summary>Plans and commits a change for a caller that has not read the group: 1 read of the group more.</summary>
    /// <exception cref="ResourceNotFoundException">no such group</exception>
    /// <exception cref="InvalidStoreValueException">some added ids are not users of this directory; nothing was written</exception>
    public async Task<MembershipChangeResult> ApplyAsync(string directoryId, string groupId, MembershipChange change, CancellationToken cancellationToken = default)
    {
        if (!PartitionLayout.IsServerId(groupId)) throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, groupId);
        var group = await ReadGroupAsync(PartitionLayout.Partition(directoryId), groupId, cancellationToken)
            ?? throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, groupId);
        var plan = await PlanAsync(directoryId, groupId, change, cancellationToken);
        return await CommitAsync(directoryId, group, plan, cancellationToken);
    }

    private async Task ClearRecordAsync(string partition, string groupId, string writeKey, int parts, CancellationToken cancellationToken)
    {
        try
        {
            await PendingChanges.ClearAsync(partition, groupId, writeKey, parts, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The change has committed; a record left behind is removed by the sweep, which finds nothing to do.
        }
    }

    /// <summary>Which of <paramref name="units"/> (member adds) are members already: one key-only point read each,
    /// in parallel. Only asked after an insert found its row, so a change of new members never pays for it.</summary>
    private async Task<IReadOnlyCollection<TransactionUnit>> PresentMembersAsync(string partition, string groupId, IReadOnlyList<TransactionUnit> units, CancellationToken cancellationToken)
    {
        var present = new ConcurrentBag<TransactionUnit>();
        await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelReads, CancellationToken = cancellationToken }, async (unit, token) =>
        {
            var member = (MemberUnit)unit.Meaning!;
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.Member(groupId, member.UserId), ["RowKey"], token);
            if (row.HasValue) present.Add(unit);
        });
        return present;
    }

    internal async Task<StoredResource?> ReadGroupAsync(string partition, string groupId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetEntityIfExistsAsync<TableEntity>(partition, ResourceKind.Group.DocumentKey(groupId), cancellationToken: cancellationToken);
        return entity.HasValue ? _groups.ToStored(entity.Value!) : null;
    }

    /// <summary>All members of a group, key and display only, streamed (1 read per 1,000).</summary>
    public IAsyncEnumerable<MembershipReference> StreamMembersAsync(string directoryId, string groupId, CancellationToken cancellationToken = default) =>
        StreamAsync(PartitionLayout.Partition(directoryId), PartitionLayout.MembersOfGroupPrefix(groupId), cancellationToken);

    /// <summary>The ids of a group's members (1 key-only read per 1,000).</summary>
    public async Task<IReadOnlySet<string>> MemberIdsAsync(string directoryId, string groupId, CancellationToken cancellationToken = default)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!PartitionLayout.IsServerId(groupId)) return ids;
        await foreach (var id in ScimDataTable.KeysUnderAsync(_table, PartitionLayout.Partition(directoryId), PartitionLayout.MembersOfGroupPrefix(groupId), null, null, cancellationToken)) ids.Add(id);
        return ids;
    }

    /// <summary>The groups a user is a direct member of, with their display names (for the user's read-only
    /// <c>groups</c> and for role recomputation): 1 read per 1,000 groups.</summary>
    public async Task<IReadOnlyList<MembershipReference>> ListGroupsOfUserAsync(string directoryId, string userId, CancellationToken cancellationToken = default)
    {
        var groups = new List<MembershipReference>();
        await foreach (var group in StreamAsync(PartitionLayout.Partition(directoryId), PartitionLayout.GroupsOfUserPrefix(userId), cancellationToken))
        {
            groups.Add(group);
        }
        return groups;
    }

    /// <summary>
    /// The groups of every user whose id is in [<paramref name="firstUserId"/>, <paramref name="lastUserId"/>], in
    /// key order (user, then group): one range read per 1,000 rows, whatever the number of users. Rows of users
    /// in the span that the caller does not want (deleted, created meanwhile) come too; the caller skips them.
    /// </summary>
    public async IAsyncEnumerable<UserGroupReference> StreamGroupsOfUsersAsync(string directoryId, string firstUserId, string lastUserId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var filter = KeyRange.Between(partition, PartitionLayout.GroupsOfUserPrefix(firstUserId), PartitionLayout.PrefixEnd(PartitionLayout.GroupsOfUserPrefix(lastUserId)));
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", ResourceEntityMapper.DisplayProperty], cancellationToken: cancellationToken))
        {
            var userId = row.RowKey[PartitionLayout.MemberOfPrefix.Length..row.RowKey.LastIndexOf(PartitionLayout.Separator)];
            yield return new UserGroupReference(userId, new MembershipReference(PartitionLayout.LastSegment(row.RowKey), row.GetString(ResourceEntityMapper.DisplayProperty)));
        }
    }

    private async Task<Dictionary<string, string?>> ReadUserDisplaysAsync(string partition, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var displays = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        var missing = new ConcurrentBag<string>(userIds.Where(id => !PartitionLayout.IsServerId(id)));
        await Parallel.ForEachAsync(
            userIds.Where(PartitionLayout.IsServerId),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelReads, CancellationToken = cancellationToken },
            async (userId, token) =>
            {
                var user = await _table.GetEntityIfExistsAsync<TableEntity>(
                    partition, ResourceKind.User.DocumentKey(userId), [ResourceEntityMapper.DisplayProperty], token);
                if (user.HasValue) displays[userId] = user.Value!.GetString(ResourceEntityMapper.DisplayProperty);
                else missing.Add(userId);
            });
        if (!missing.IsEmpty)
        {
            var ids = missing.Order(StringComparer.Ordinal).ToList();
            throw new InvalidStoreValueException($"Not users of this directory: {string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? ", ..." : "")}. Members must be users; groups do not nest here.", ids);
        }
        return new Dictionary<string, string?>(displays, StringComparer.Ordinal);
    }

    private async IAsyncEnumerable<MembershipReference> StreamAsync(string partition, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _table.QueryAsync<TableEntity>(
            KeyRange.Under(partition, prefix), select: ["RowKey", ResourceEntityMapper.DisplayProperty], cancellationToken: cancellationToken))
        {
            yield return new MembershipReference(PartitionLayout.LastSegment(row.RowKey), row.GetString(ResourceEntityMapper.DisplayProperty));
        }
    }
}
