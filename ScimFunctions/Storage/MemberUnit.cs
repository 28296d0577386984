using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// One user joining or leaving a group, as every membership write stores it, in this order: the member row (inserted
/// for a join, so it fails if the user is already a member), the
/// memberOf row (both directions, never one without the other), the user's outbox row unless the group maps to no
/// role, and a merge on the user's document (its version and <c>lastModified</c> move, and the merge fails if the
/// user was deleted, so the unit is dropped instead of outliving its user).
/// </summary>
internal sealed record MemberUnit(string UserId, string? Display, bool IsAdd)
{
    /// <summary>Removals first, then adds, each in id order (the order the change row lists them in).</summary>
    public static List<MemberUnit> Of(MembershipPlan plan) =>
    [
        .. plan.ToRemove.Order(StringComparer.Ordinal).Select(userId => new MemberUnit(userId, null, IsAdd: false)),
        .. plan.ToAdd.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new MemberUnit(p.Key, p.Value, IsAdd: true)),
    ];

    public List<TableTransactionAction> Actions(string partition, string groupId, string? groupDisplay, DateTimeOffset now, bool withOutbox)
    {
        var actions = IsAdd
            ? new List<TableTransactionAction>
            {
                // An insert: a user who is already a member fails it (409), and the writer drops the unit, so adding
                // a member again changes nothing, not even the change log (a retried request logs no repeats).
                new(TableTransactionActionType.Add, MembershipRows.Entity(partition, PartitionLayout.Member(groupId, UserId), Display)),
                new(TableTransactionActionType.UpsertReplace, MembershipRows.Entity(partition, PartitionLayout.MemberOf(UserId, groupId), groupDisplay)),
            }
            : new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Member(groupId, UserId)), ETag.All),
                new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.MemberOf(UserId, groupId)), ETag.All),
            };
        if (withOutbox) actions.Add(OutboxRules.UserMembershipChanged(partition, UserId, now));
        actions.Add(MembershipRows.TouchUser(partition, UserId, now));
        return actions;
    }

    /// <summary>The change-log row of the units one transaction commits: the group, the users added and removed.</summary>
    public static TableEntity ChangeEntry(string partition, string groupId, IEnumerable<MemberUnit> units, DateTimeOffset stamp)
    {
        var all = units.ToList();
        var entry = ChangeLog.Entry(partition, ChangeLog.MembershipKind, ChangeLog.Updated, groupId, stamp);
        entry[ChangeLog.AddedProperty] = string.Join(',', all.Where(u => u.IsAdd).Select(u => u.UserId));
        entry[ChangeLog.RemovedProperty] = string.Join(',', all.Where(u => !u.IsAdd).Select(u => u.UserId));
        return entry;
    }
}
