using Microsoft.Extensions.Logging;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

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
/// Rows are read and written through <see cref="IRoleRecomputeStore"/>, the configuration through <see cref="IRoleMapReader"/>. Round trips per user: 4 point/range reads (outbox, assignment, user's Active, memberOf) and at most one
/// write transaction (none when nothing changed and nothing is pending; more only for a change of more holder
/// rows than one transaction holds, see <see cref="IRoleRecomputeStore.TryCommitAsync"/>). Per message: 1 configuration read
/// plus 1 point read per name mapping.
/// </para>
/// </summary>
public sealed class RoleRecomputer(IRoleRecomputeStore rows, IRoleMapReader maps, RoleOptions options, TimeProvider time, ILogger<RoleRecomputer> logger) : IRoleRecomputer
{
    private const int MaxAttempts = 6;

    public async Task<RecomputeOutcome> RecomputeAsync(string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var users = userIds.Where(PartitionLayout.IsServerId).Distinct(StringComparer.Ordinal).ToList();
        if (users.Count == 0) return new RecomputeOutcome(0, 0);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelUsers, CancellationToken = cancellationToken };

        // Phase 1 for every user, then the configuration once: it is read after every user's guards.
        var guards = new RecomputeGuard[users.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Count), parallel, async (i, token) =>
            guards[i] = await rows.ReadGuardAsync(directoryId, users[i], token));
        var map = await maps.ReadMapAsync(directoryId, cancellationToken);

        var changed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Count), parallel, async (i, token) =>
        {
            var result = await TryWriteAsync(directoryId, users[i], guards[i], map, token);
            for (var attempt = 2; result is null; attempt++)
            {
                if (attempt > MaxAttempts) throw new InvalidOperationException($"Roles of user {users[i]} kept changing during {MaxAttempts} recomputes.");
                // Someone else wrote in between: start over for this user alone, from fresh reads.
                var guard = await rows.ReadGuardAsync(directoryId, users[i], token);
                result = await TryWriteAsync(directoryId, users[i], guard, await maps.ReadMapAsync(directoryId, token), token);
            }
            if (result.Value) Interlocked.Increment(ref changed);
        });
        return new RecomputeOutcome(users.Count, changed);
    }

    /// <returns>whether the role set changed; null when a guard failed and the user must be recomputed again</returns>
    private async Task<bool?> TryWriteAsync(string directoryId, string userId, RecomputeGuard guard, ResolvedRoleMap map, CancellationToken cancellationToken)
    {
        var inputs = await rows.ReadInputsAsync(directoryId, userId, cancellationToken);
        var wanted = map.RolesFor(inputs.Active == true, inputs.GroupIds);
        var previous = guard.Assignment?.Roles ?? [];
        var roleSetChanged = !previous.SequenceEqual(wanted, StringComparer.Ordinal);
        var userGone = inputs.Active is null;
        if (!roleSetChanged && guard.OutboxVersion is null && guard.Assignment?.HasStagedChange != true && (guard.Assignment is not null || userGone)) return false;

        var version = (guard.Assignment?.Version ?? 0) + (roleSetChanged || guard.Assignment is null ? 1 : 0);
        var logChange = roleSetChanged || (userGone && guard.Assignment is not null);
        var change = new AssignmentChange(userId, previous, wanted, version, userGone, logChange, time.GetUtcNow());
        if (await rows.TryCommitAsync(directoryId, guard, change, cancellationToken)) return roleSetChanged;
        logger.LogDebug("Recompute of user {UserId} lost a race; recomputing again", userId);
        return null;
    }
}
