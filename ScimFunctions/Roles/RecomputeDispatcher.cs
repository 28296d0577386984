using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Handles one recompute message. User messages are recomputed; fan-outs read one page of their rows (1 read),
/// record each user of the page as pending (its own <c>outbox</c> row, ⌈page / 100⌉ transactions), send the page
/// as user messages of at most <see cref="RoleRecomputeMessage.MaxUsersPerMessage"/> ids and, if rows remain, one
/// continuation; the last page clears the fan-out row, only if it is the version the first page saw (a group's
/// row is cleared by its settle pass, see <see cref="ScheduleSettlePassAsync"/>). So every
/// user a fan-out reaches is pending, and swept, until it is itself recomputed, whatever becomes of the messages.
/// A failure anywhere fails the message, which the queue retries; repeating a page is harmless.
/// </summary>
public sealed class RecomputeDispatcher(
    RecomputeOutboxStore outbox,
    ChangeLogStore changes,
    IRoleRecomputer recomputer,
    RoleRecomputeQueue queue,
    OutboxSweeper sweeper,
    RoleOptions options,
    TimeProvider time)
{
    public async Task HandleAsync(RoleRecomputeMessage message, CancellationToken cancellationToken)
    {
        switch (message.Scope)
        {
            case RecomputeScope.Users:
                await recomputer.RecomputeAsync(message.DirectoryId, message.UserIds ?? [], cancellationToken);
                break;
            case RecomputeScope.Outbox:
                await sweeper.SweepDirectoryAsync(message.DirectoryId, TimeSpan.Zero, cancellationToken);
                break;
            case RecomputeScope.Group when message.Key is { } groupId && PartitionLayout.IsServerId(groupId) && message.Since is { } since
                && (message.Removals == true || message.HolderRole is not null):
                await RemovalsPageAsync(message, groupId, since, cancellationToken);
                break;
            case RecomputeScope.Group when message.Key is { } groupId && PartitionLayout.IsServerId(groupId) && message.Since is { } since:
                await SettlePageAsync(message, groupId, since, cancellationToken);
                break;
            case RecomputeScope.Group when message.Key is { } groupId && PartitionLayout.IsServerId(groupId):
                await FanOutPageAsync(message, PartitionLayout.MembersOfGroupPrefix(groupId), PartitionLayout.GroupOutbox(groupId), cancellationToken);
                break;
            case RecomputeScope.RoleHolders when RoleKey.IsValid(message.Key):
                await FanOutPageAsync(message, PartitionLayout.HoldersOf(message.Key!), PartitionLayout.RoleOutbox(message.Key!), cancellationToken);
                break;
            case RecomputeScope.Directory:
                await FanOutPageAsync(message, PartitionLayout.UserPrefix, PartitionLayout.DirectoryOutbox, cancellationToken);
                break;
            default:
                throw new FormatException($"A {message.Scope} message without a valid key.");
        }
    }

    private async Task FanOutPageAsync(RoleRecomputeMessage message, string rowPrefix, string outboxKey, CancellationToken cancellationToken)
    {
        var outboxVersion = message.After is null
            ? await outbox.VersionOfAsync(message.DirectoryId, outboxKey, cancellationToken)
            : message.OutboxETag;
        var (page, more) = await outbox.FanOutPageAsync(message.DirectoryId, rowPrefix, message.After, options.FanOutPageSize, cancellationToken);

        await outbox.MarkUsersPendingAsync(message.DirectoryId, page, time.GetUtcNow(), cancellationToken);
        var messages = RoleRecomputeMessage.ForUsers(message.DirectoryId, page).ToList();
        if (more) messages.Add(message with { After = page[^1], OutboxETag = outboxVersion });
        await queue.SendAsync(messages, cancellationToken);
        if (more || outboxVersion is null) return;
        if (message.Scope == RecomputeScope.Group)
        {
            await ScheduleSettlePassAsync(message, outboxKey, outboxVersion, cancellationToken);
            return;
        }
        await outbox.ClearIfUnchangedAsync(message.DirectoryId, outboxKey, outboxVersion, cancellationToken);
    }

    /// <summary>Slack on the storage timestamps a settle pass compares (rows of one partition, one clock).</summary>
    private static readonly TimeSpan TimestampSlack = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a group's full pass: a membership change waived on a configuration read from before this fan-out's
    /// change may commit after the pass read its members (<see cref="MembershipWaivers"/>). So the row stays, and
    /// one more pass runs <see cref="RoleOptions.FanOutSettle"/> after the change: the group's member rows written
    /// since the row (a waived add), then the users the change log shows removed from the group by transactions
    /// committed since (a waived removal leaves no member row, but the member it removed may have been granted the
    /// group's new roles by a recompute after the change). It clears the row. A row changed meanwhile is left to
    /// its own change's passes.
    /// </summary>
    private async Task ScheduleSettlePassAsync(RoleRecomputeMessage message, string outboxKey, string outboxVersion, CancellationToken cancellationToken)
    {
        if (await outbox.StampOfAsync(message.DirectoryId, outboxKey, cancellationToken) is not { } stamp || stamp.Version != outboxVersion) return;
        var delay = stamp.ChangedAt + options.FanOutSettle - time.GetUtcNow();
        var settle = message with { After = null, OutboxETag = outboxVersion, Since = stamp.Written > DateTimeOffset.MinValue + TimestampSlack ? stamp.Written - TimestampSlack : DateTimeOffset.MinValue };
        await queue.SendLaterAsync(settle, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, cancellationToken);
    }

    /// <summary>
    /// One page of a group's settle pass over its member rows written since <paramref name="since"/>: their users are
    /// marked pending and sent; after the last page the removal pass follows (<see cref="RemovalsPageAsync"/>).
    /// </summary>
    private async Task SettlePageAsync(RoleRecomputeMessage message, string groupId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var (page, more) = await outbox.FanOutPageSinceAsync(message.DirectoryId, PartitionLayout.MembersOfGroupPrefix(groupId), message.After, since, options.FanOutPageSize, cancellationToken);
        if (page.Count > 0) await outbox.MarkUsersPendingAsync(message.DirectoryId, page, time.GetUtcNow(), cancellationToken);
        var messages = RoleRecomputeMessage.ForUsers(message.DirectoryId, page).ToList();
        messages.Add(more ? message with { After = page[^1] } : message with { After = null, Removals = true });
        await queue.SendAsync(messages, cancellationToken);
    }

    /// <summary>How far before <see cref="RoleRecomputeMessage.Since"/> a waived removal that commits after it can be
    /// stamped: its configuration read may be a waiver window older, its transaction may run the longest one does,
    /// and instances' clocks may differ.</summary>
    private TimeSpan RemovalStampReach => options.MembershipWaiverWindow + RoleOptions.LongestTransaction + options.WaiverClockSlack;

    /// <summary>
    /// One page of a group's settle pass over the removals committed since <paramref name="since"/> (change-log rows
    /// of the group's membership, so it costs what the group changed, not what its roles' holders number): the users
    /// removed and still not members (1 read of the group's member rows in their key range) are marked pending and
    /// sent. So only someone who left the group since the change is recomputed again. The last page clears the
    /// fan-out row if it is still the version the full pass saw, so the group counts as pending until the whole
    /// pass is done.
    /// </summary>
    private async Task RemovalsPageAsync(RoleRecomputeMessage message, string groupId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // A message of the per-role passes this replaced holds a holder key in After: it starts from the beginning.
        var after = message.Removals == true && message.After is { } key ? key : PartitionLayout.ChangeFloor(since - RemovalStampReach);
        var (removed, lastKey, more) = await changes.RemovedFromGroupSinceAsync(message.DirectoryId, groupId, after, since, options.FanOutPageSize, cancellationToken);
        var candidates = removed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var members = await outbox.MembersAmongAsync(message.DirectoryId, groupId, candidates, cancellationToken);
        var reached = candidates.Where(userId => !members.Contains(userId)).ToList();
        if (reached.Count > 0) await outbox.MarkUsersPendingAsync(message.DirectoryId, reached, time.GetUtcNow(), cancellationToken);
        var messages = RoleRecomputeMessage.ForUsers(message.DirectoryId, reached).ToList();
        if (more) messages.Add(message with { After = lastKey, Removals = true, HolderRole = null });
        if (messages.Count > 0) await queue.SendAsync(messages, cancellationToken);
        if (more || message.OutboxETag is not { } version) return;
        await outbox.ClearIfUnchangedAsync(message.DirectoryId, PartitionLayout.GroupOutbox(groupId), version, cancellationToken);
    }
}
