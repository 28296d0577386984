using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ScimFunctions.Directories;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Re-enqueues outbox rows older than <see cref="RoleOptions.SweepAge"/>, so a change whose signal was lost
/// (the process stopped, the queue was unreachable) still has its recompute: user rows as user messages,
/// group, role and directory rows as fan-outs. Cost per directory: 4 key-range reads (rows pending, normally
/// none) and the sends. It also prunes change-log rows past retention.
/// </summary>
public sealed class OutboxSweeper(ScimStore store, DirectoryStore directories, RoleRecomputeQueue queue, RoleOptions options, ILogger<OutboxSweeper> logger)
{
    /// <summary>Sweeps every directory that is not being deleted. Returns how many messages were sent.</summary>
    public async Task<int> SweepAllAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var directory in await directories.ListAsync(cancellationToken))
        {
            if (directory.State == DirectoryState.Deleting) continue;
            try
            {
                sent += await SweepDirectoryAsync(directory.Id, options.SweepAge, cancellationToken);
                await PruneChangeLogAsync(directory.Id, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One directory's trouble must not stop the others' healing.
                logger.LogError(exception, "Outbox sweep of directory {DirectoryId} failed", directory.Id);
            }
        }
        return sent;
    }

    /// <summary>Enqueues the directory's outbox rows last changed at least <paramref name="minAge"/> ago. Returns the messages sent.</summary>
    public async Task<int> SweepDirectoryAsync(string directoryId, TimeSpan minAge, CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync();
        var partition = PartitionLayout.Partition(directoryId);
        var cutoff = DateTimeOffset.UtcNow - minAge;
        var users = await OldRowsAsync(partition, PartitionLayout.OutboxPrefix, cutoff, cancellationToken);
        var groups = await OldRowsAsync(partition, PartitionLayout.GroupOutboxPrefix, cutoff, cancellationToken);
        var heldRoles = await OldRowsAsync(partition, PartitionLayout.RoleOutboxPrefix, cutoff, cancellationToken);
        var everyone = await store.Table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.DirectoryOutbox, [OutboxRules.ChangedAtProperty], cancellationToken);

        var messages = RoleRecomputeMessage.ForUsers(directoryId, users).ToList();
        messages.AddRange(groups.Select(g => new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.Group, Key = g }));
        messages.AddRange(heldRoles.Select(r => new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.RoleHolders, Key = r }));
        if (everyone.HasValue && IsOld(everyone.Value!, cutoff))
        {
            messages.Add(new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.Directory });
        }
        if (messages.Count > 0)
        {
            await queue.SendAsync(messages, cancellationToken);
            logger.LogInformation("Re-enqueued {Users} users and {FanOuts} fan-outs of directory {DirectoryId}",
                users.Count, messages.Count(m => m.Scope != RecomputeScope.Users), directoryId);
        }
        return messages.Count;
    }

    /// <summary>Deletes change-log rows older than the retention, 100 per transaction. Returns how many.</summary>
    public async Task<int> PruneChangeLogAsync(string directoryId, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var end = PartitionLayout.ChangeFloor(DateTimeOffset.UtcNow - options.ChangeLogRetention);
        var batch = new List<TableTransactionAction>();
        var pruned = 0;
        await foreach (var row in store.Table.QueryAsync<TableEntity>(
            ResourceStore.RangeFilter(partition, PartitionLayout.ChangePrefix, end), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            batch.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, row.RowKey), ETag.All));
            if (batch.Count == 100)
            {
                await store.Table.SubmitTransactionAsync(batch, cancellationToken);
                pruned += batch.Count;
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await store.Table.SubmitTransactionAsync(batch, cancellationToken);
            pruned += batch.Count;
        }
        return pruned;
    }

    private async Task<List<string>> OldRowsAsync(string partition, string prefix, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var row in store.Table.QueryAsync<TableEntity>(
            ResourceStore.RangeFilter(partition, prefix, PartitionLayout.PrefixEnd(prefix)), select: ["RowKey", OutboxRules.ChangedAtProperty], cancellationToken: cancellationToken))
        {
            if (IsOld(row, cutoff)) ids.Add(row.RowKey[prefix.Length..]);
        }
        return ids;
    }

    private static bool IsOld(TableEntity row, DateTimeOffset cutoff) => (row.GetDateTimeOffset(OutboxRules.ChangedAtProperty) ?? DateTimeOffset.MinValue) <= cutoff;
}
