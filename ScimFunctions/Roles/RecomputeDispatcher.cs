using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Handles one recompute message. User messages are recomputed; fan-outs read one page of their rows (1 read),
/// record each user of the page as pending (its own <c>outbox</c> row, ⌈page / 100⌉ transactions), send the page
/// as user messages of at most <see cref="RoleRecomputeMessage.MaxUsersPerMessage"/> ids and, if rows remain, one
/// continuation; the last page clears the fan-out row, only if it is the version the first page saw. So every
/// user a fan-out reaches is pending, and swept, until it is itself recomputed, whatever becomes of the messages.
/// A failure anywhere fails the message, which the queue retries; repeating a page is harmless.
/// </summary>
public sealed class RecomputeDispatcher(
    RecomputeOutboxStore outbox,
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
        await outbox.ClearIfUnchangedAsync(message.DirectoryId, outboxKey, outboxVersion, cancellationToken);
    }
}
