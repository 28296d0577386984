using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Handles one recompute message. User messages are recomputed; fan-outs read one page of their rows (1 read),
/// send the page as user messages of at most <see cref="RoleRecomputeMessage.MaxUsersPerMessage"/> ids and, if
/// rows remain, one continuation; the last page clears the fan-out row, only if it is the version the first
/// page saw. A failure anywhere fails the message, which the queue retries; re-sending a page is harmless.
/// </summary>
public sealed class RecomputeDispatcher(ScimStore store, RoleStore roles, IRoleRecomputer recomputer, RoleRecomputeQueue queue, OutboxSweeper sweeper, RoleOptions options)
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
        await store.EnsureTableAsync();
        var partition = PartitionLayout.Partition(message.DirectoryId);
        var outboxETag = message.OutboxETag;
        if (message.After is null)
        {
            var outbox = await store.Table.GetEntityIfExistsAsync<TableEntity>(partition, outboxKey, ["RowKey"], cancellationToken);
            outboxETag = outbox.HasValue ? outbox.Value!.ETag.ToString() : null;
        }

        var page = new List<string>(options.FanOutPageSize);
        var more = false;
        await foreach (var id in roles.KeysAfterAsync(message.DirectoryId, rowPrefix, message.After, Math.Min(1000, options.FanOutPageSize + 1), cancellationToken))
        {
            if (page.Count == options.FanOutPageSize)
            {
                more = true;
                break;
            }
            page.Add(id);
        }

        var messages = RoleRecomputeMessage.ForUsers(message.DirectoryId, page).ToList();
        if (more) messages.Add(message with { After = page[^1], OutboxETag = outboxETag });
        await queue.SendAsync(messages, cancellationToken);
        if (more || outboxETag is null) return;
        try
        {
            await store.Table.DeleteEntityAsync(partition, outboxKey, new ETag(outboxETag), cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status is 404 or 412)
        {
            // Changed again meanwhile: that change's own fan-out (or the sweep) clears it.
        }
    }
}
