using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>Recomputes users' roles from current state.</summary>
public interface IRoleRecomputer
{
    Task<RecomputeOutcome> RecomputeAsync(string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);
}

/// <summary>How many users were recomputed and how many of them ended with a different role set.</summary>
public sealed record RecomputeOutcome(int Users, int Changed);

/// <summary>
/// Recomputes each named user from the directory's rows: <c>memberOf|</c> rows, the role configuration (name
/// mappings resolved through group documents' unique-name index, never through display copies on membership
/// rows), and the user's <c>Active</c>. Inactive or missing users hold no roles.
/// <para>
/// Ordering makes concurrent and repeated recomputes converge. For each user, the outbox row and the
/// assignment row are read first (their ETags); only then the configuration, the user and its memberships. The
/// write is one transaction: the assignment (guarded by the ETag read, or an insert if there was none), the
/// holder rows of roles gained or lost, a change-log row when the set changed, and the outbox row's delete
/// guarded by its ETag. A change that commits after those first reads either rewrote the outbox row (the
/// delete fails, the user is recomputed again from fresh reads) or left a new outbox row that another message
/// or the sweep acts on; a concurrent recompute that wrote first makes this one's assignment guard fail. So a
/// stale computation never overwrites a fresh one, and an outbox row disappears only with a computation that
/// read state newer than the change that wrote it.
/// </para>
/// <para>
/// Round trips per user: 4 point/range reads (outbox, assignment, user's Active, memberOf) and at most one
/// write transaction (none when nothing changed and nothing is pending). Per message: 1 configuration read
/// plus 1 point read per name mapping.
/// </para>
/// </summary>
public sealed class RoleRecomputer(ScimStore store, RoleStore roles, RoleOptions options, ILogger<RoleRecomputer> logger) : IRoleRecomputer
{
    private const int MaxAttempts = 6;

    private TableClient Table => store.Table;

    public async Task<RecomputeOutcome> RecomputeAsync(string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync();
        var users = userIds.Where(PartitionLayout.IsServerId).Distinct(StringComparer.Ordinal).ToList();
        if (users.Count == 0) return new RecomputeOutcome(0, 0);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelUsers, CancellationToken = cancellationToken };

        // Phase 1 for every user, then the configuration once: it is read after every user's guards.
        var guards = new Guard[users.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Count), parallel, async (i, token) =>
            guards[i] = await ReadGuardAsync(directoryId, users[i], token));
        var map = await ReadMapAsync(directoryId, cancellationToken);

        var changed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Count), parallel, async (i, token) =>
        {
            var result = await TryWriteAsync(directoryId, users[i], guards[i], map, token);
            for (var attempt = 2; result is null; attempt++)
            {
                if (attempt > MaxAttempts) throw new InvalidOperationException($"Roles of user {users[i]} kept changing during {MaxAttempts} recomputes.");
                // Someone else wrote in between: start over for this user alone, from fresh reads.
                var guard = await ReadGuardAsync(directoryId, users[i], token);
                result = await TryWriteAsync(directoryId, users[i], guard, await ReadMapAsync(directoryId, token), token);
            }
            if (result.Value) Interlocked.Increment(ref changed);
        });
        return new RecomputeOutcome(users.Count, changed);
    }

    private sealed record Guard(ETag? Outbox, TableEntity? Assignment);

    private async Task<Guard> ReadGuardAsync(string directoryId, string userId, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var outbox = await Table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.Outbox(userId), ["RowKey"], cancellationToken);
        var assignment = await Table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.Assignment(userId), cancellationToken: cancellationToken);
        return new Guard(outbox.HasValue ? outbox.Value!.ETag : null, assignment.HasValue ? assignment.Value : null);
    }

    private async Task<ResolvedRoleMap> ReadMapAsync(string directoryId, CancellationToken cancellationToken) =>
        await roles.ResolveAsync(directoryId, await roles.ReadConfigurationAsync(directoryId, cancellationToken), cancellationToken);

    /// <returns>whether the role set changed; null when a guard failed and the user must be recomputed again</returns>
    private async Task<bool?> TryWriteAsync(string directoryId, string userId, Guard guard, ResolvedRoleMap map, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var activeTask = ReadActiveAsync(partition, userId, cancellationToken);
        var groupsTask = ReadGroupIdsAsync(partition, userId, cancellationToken);
        var active = await activeTask;
        var groups = await groupsTask;

        var wanted = map.RolesFor(active == true, groups);
        var previous = guard.Assignment is { } row ? RoleStore.ReadRoles(row) : [];
        var roleSetChanged = !previous.SequenceEqual(wanted, StringComparer.Ordinal);
        var userGone = active is null;
        if (!roleSetChanged && guard.Outbox is null && (guard.Assignment is not null || userGone)) return false;

        var now = DateTimeOffset.UtcNow;
        var actions = new List<TableTransactionAction>();
        if (userGone && guard.Assignment is not null)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Assignment(userId)), guard.Assignment.ETag));
        }
        else if (!userGone)
        {
            var version = (guard.Assignment?.GetInt64(RoleStore.VersionProperty) ?? 0) + (roleSetChanged || guard.Assignment is null ? 1 : 0);
            var assignment = new TableEntity(partition, PartitionLayout.Assignment(userId))
            {
                [RoleStore.RolesProperty] = JsonSerializer.Serialize(wanted),
                [RoleStore.VersionProperty] = version,
                [RoleStore.ComputedAtProperty] = now,
            };
            actions.Add(guard.Assignment is null
                ? new(TableTransactionActionType.Add, assignment)
                : new(TableTransactionActionType.UpdateReplace, assignment, guard.Assignment.ETag));
        }
        foreach (var gained in wanted.Except(previous, StringComparer.Ordinal))
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PartitionLayout.Holder(gained, userId))));
        }
        foreach (var lost in previous.Except(wanted, StringComparer.Ordinal))
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Holder(lost, userId)), ETag.All));
        }
        if (roleSetChanged || (userGone && guard.Assignment is not null))
        {
            var operation = userGone ? ChangeLog.Deleted : ChangeLog.Updated;
            actions.Add(ChangeLog.Add(ChangeLog.Entry(partition, ChangeLog.RolesKind, operation, userId, now)));
        }
        if (guard.Outbox is { } outboxETag)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.Outbox(userId)), outboxETag));
        }
        if (actions.Count == 0) return false;
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return roleSetChanged;
        }
        catch (TableTransactionFailedException failure) when (failure.Status is 404 or 409 or 412)
        {
            logger.LogDebug("Recompute of user {UserId} lost a race ({Status}); recomputing again", userId, failure.Status);
            return null;
        }
    }

    /// <summary>The user's Active (null when the user does not exist): 1 point read of one property.</summary>
    private async Task<bool?> ReadActiveAsync(string partition, string userId, CancellationToken cancellationToken)
    {
        var user = await Table.GetEntityIfExistsAsync<TableEntity>(partition, ResourceKind.User.DocumentKey(userId), [ResourceStore.ActiveProperty], cancellationToken);
        if (!user.HasValue) return null;
        if (user.Value!.GetBoolean(ResourceStore.ActiveProperty) is { } active) return active;
        // A row written before Active was kept as a property: read the document once.
        var document = await Table.GetEntityAsync<TableEntity>(partition, ResourceKind.User.DocumentKey(userId), cancellationToken: cancellationToken);
        return UserActivity.IsActive(DocumentCodec.Read(document.Value));
    }

    private async Task<List<string>> ReadGroupIdsAsync(string partition, string userId, CancellationToken cancellationToken)
    {
        var prefix = PartitionLayout.GroupsOfUserPrefix(userId);
        var groups = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(
            ResourceStore.RangeFilter(partition, prefix, PartitionLayout.PrefixEnd(prefix)), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            groups.Add(PartitionLayout.LastSegment(row.RowKey));
        }
        return groups;
    }
}
