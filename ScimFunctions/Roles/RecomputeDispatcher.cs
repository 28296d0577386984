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
    IRoleRecomputer recomputer,
    RoleRecomputeQueue queue,
    OutboxSweeper sweeper,
    RoleStore roles,
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
                && (message.HolderRole is null || RoleKey.IsValid(message.HolderRole)):
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
    /// one more pass runs <see cref="RoleOptions.FanOutSettle"/> after the change, over the rows written since the
    /// row: the group's member rows (a waived add) and, for each role of the directory, its holder rows (a waived
    /// removal leaves no row, but the member it removed was granted the group's new roles by a recompute after
    /// the change, so its holder rows are that recent). It clears the row. A row changed meanwhile is left to its
    /// own change's passes.
    /// </summary>
    private async Task ScheduleSettlePassAsync(RoleRecomputeMessage message, string outboxKey, string outboxVersion, CancellationToken cancellationToken)
    {
        if (await outbox.StampOfAsync(message.DirectoryId, outboxKey, cancellationToken) is not { } stamp || stamp.Version != outboxVersion) return;
        var delay = stamp.ChangedAt + options.FanOutSettle - time.GetUtcNow();
        var settle = message with { After = null, OutboxETag = outboxVersion, Since = stamp.Written > DateTimeOffset.MinValue + TimestampSlack ? stamp.Written - TimestampSlack : DateTimeOffset.MinValue };
        await queue.SendLaterAsync(settle, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, cancellationToken);
    }

    /// <summary>
    /// One page of a group's settle pass: the users of the rows written since <paramref name="since"/> are marked
    /// pending and sent — first the group's member rows, then each role's holder rows in key order (1 read of the
    /// configuration to find the next role), of which only holders no longer in the group (1 read of the group's
    /// member rows in the page's key range). So a mapping change's settle pass recomputes nobody its full pass
    /// granted a role, unless a removal since took them out of the group. The last page of the last role clears
    /// the fan-out row if it is still the version the full pass saw, so the group counts as pending until the
    /// whole pass is done.
    /// </summary>
    private async Task SettlePageAsync(RoleRecomputeMessage message, string groupId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var rowPrefix = message.HolderRole is { } role ? PartitionLayout.HoldersOf(role) : PartitionLayout.MembersOfGroupPrefix(groupId);
        var (page, more) = await outbox.FanOutPageSinceAsync(message.DirectoryId, rowPrefix, message.After, since, options.FanOutPageSize, cancellationToken);
        var reached = page;
        if (message.HolderRole is not null && page.Count > 0)
        {
            // A holder still in the group holds what the group now grants; only one no longer in it may be stale.
            var members = await outbox.MembersAmongAsync(message.DirectoryId, groupId, page, cancellationToken);
            reached = page.Where(userId => !members.Contains(userId)).ToList();
        }
        if (reached.Count > 0) await outbox.MarkUsersPendingAsync(message.DirectoryId, reached, time.GetUtcNow(), cancellationToken);
        var messages = RoleRecomputeMessage.ForUsers(message.DirectoryId, reached).ToList();
        var next = more ? message with { After = page[^1] } : await NextHolderPassAsync(message, cancellationToken);
        if (next is not null) messages.Add(next);
        if (messages.Count > 0) await queue.SendAsync(messages, cancellationToken);
        if (next is not null || message.OutboxETag is not { } version) return;
        await outbox.ClearIfUnchangedAsync(message.DirectoryId, PartitionLayout.GroupOutbox(groupId), version, cancellationToken);
    }

    /// <summary>The settle pass over the holders of the role after <see cref="RoleRecomputeMessage.HolderRole"/>
    /// (the first role when the member rows are done), or null after the last.</summary>
    private async Task<RoleRecomputeMessage?> NextHolderPassAsync(RoleRecomputeMessage message, CancellationToken cancellationToken)
    {
        var configuration = await roles.ReadConfigurationAsync(message.DirectoryId, cancellationToken);
        var nextRole = configuration.Roles.Keys
            .Where(key => message.HolderRole is null || string.CompareOrdinal(key, message.HolderRole) > 0)
            .Order(StringComparer.Ordinal).FirstOrDefault();
        return nextRole is null ? null : message with { HolderRole = nextRole, After = null };
    }
}
