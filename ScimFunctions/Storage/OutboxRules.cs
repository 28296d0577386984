using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// Which write records which recompute. Each rule returns the outbox row to add to the write's own entity
/// group transaction, so a committed change always leaves its recompute behind (the queue message sent after
/// the commit is only a prompt; the outbox sweep resends what a lost message missed). The rows:
/// <list type="table">
/// <item><term>a user is created (the default role may apply), its memberships change, it is deactivated, reactivated or deleted</term><description><c>outbox|{userId}</c></description></item>
/// <item><term>a fan-out reaches a user (one page at a time, before its messages are sent)</term><description><c>outbox|{userId}</c></description></item>
/// <item><term>a group is renamed (mappings may name it), or its mapping changes</term><description><c>groupOutbox|{groupId}</c>: every member</description></item>
/// <item><term>a role is deleted</term><description><c>roleOutbox|{key}</c>: every holder</description></item>
/// <item><term>the default role changes</term><description><c>directoryOutbox|all</c>: every user</description></item>
/// </list>
/// Every outbox row carries <c>ChangedAt</c>, the time the change was recorded (health reports the oldest).
/// </summary>
public static class OutboxRules
{
    public const string ChangedAtProperty = "ChangedAt";

    public static TableTransactionAction UserCreated(string partition, string userId, DateTimeOffset now) => Row(partition, PartitionLayout.Outbox(userId), now);

    public static TableTransactionAction UserMembershipChanged(string partition, string userId, DateTimeOffset now) => Row(partition, PartitionLayout.Outbox(userId), now);

    public static TableTransactionAction UserActiveChanged(string partition, string userId, DateTimeOffset now) => Row(partition, PartitionLayout.Outbox(userId), now);

    public static TableTransactionAction UserDeleted(string partition, string userId, DateTimeOffset now) => Row(partition, PartitionLayout.Outbox(userId), now);

    /// <summary>A fan-out (group, role holders, every user) has reached this user: its row keeps the user pending,
    /// and swept, until the user itself is recomputed, even after the fan-out's own row is cleared.</summary>
    public static TableTransactionAction FanOutReachedUser(string partition, string userId, DateTimeOffset now) => Row(partition, PartitionLayout.Outbox(userId), now);

    public static TableTransactionAction GroupRenamed(string partition, string groupId, DateTimeOffset now) => Row(partition, PartitionLayout.GroupOutbox(groupId), now);

    public static TableTransactionAction GroupMappingChanged(string partition, string groupId, DateTimeOffset now) => Row(partition, PartitionLayout.GroupOutbox(groupId), now);

    public static TableTransactionAction RoleDeleted(string partition, string roleKey, DateTimeOffset now) => Row(partition, PartitionLayout.RoleOutbox(roleKey), now);

    public static TableTransactionAction DefaultRoleChanged(string partition, DateTimeOffset now) => Row(partition, PartitionLayout.DirectoryOutbox, now);

    // Upsert: a recompute already pending stays one row, stamped with the latest change.
    private static TableTransactionAction Row(string partition, string rowKey, DateTimeOffset changedAt) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, rowKey) { [ChangedAtProperty] = changedAt });
}
