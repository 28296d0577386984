using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>A directory's recompute health: what is pending, and what ended in the poison queue.</summary>
public sealed record RoleHealthReport(
    int PendingUsers,
    DateTimeOffset? OldestPendingChange,
    int PendingFanOuts,
    int PoisonedMessages,
    DateTimeOffset? LastPoisonedAt,
    string? LastPoisonReason,
    int PoisonQueueDepthAllDirectories);

/// <summary>
/// Keeps the <c>roleHealth</c> row of each directory (the poison queue is shared, so the handler records here,
/// on a message's last try, that it is about to go there) and reads the report. Reading costs 4 key-only range
/// reads of the outbox rows, 1 point read and 1 queue-properties call.
/// </summary>
public sealed class RoleHealth(ScimStore store, RoleRecomputeQueue queue)
{
    private const string PoisonedProperty = "Poisoned";
    private const string LastPoisonedAtProperty = "LastPoisonedAt";
    private const string LastReasonProperty = "LastReason";

    /// <summary>Counts a message of this directory that failed its last try.</summary>
    public async Task RecordPoisonedAsync(string directoryId, Exception failure, CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync();
        var partition = PartitionLayout.Partition(directoryId);
        var reason = $"{failure.GetType().Name}: {failure.Message}";
        if (reason.Length > 500) reason = reason[..500];
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await store.Table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.RoleHealth, cancellationToken: cancellationToken);
            var row = new TableEntity(partition, PartitionLayout.RoleHealth)
            {
                [PoisonedProperty] = (current.HasValue ? current.Value!.GetInt32(PoisonedProperty) ?? 0 : 0) + 1,
                [LastPoisonedAtProperty] = DateTimeOffset.UtcNow,
                [LastReasonProperty] = reason,
            };
            try
            {
                if (current.HasValue) await store.Table.UpdateEntityAsync(row, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else await store.Table.AddEntityAsync(row, cancellationToken);
                return;
            }
            catch (RequestFailedException conflict) when (conflict.Status is 409 or 412)
            {
                // Another message of this directory was recorded at the same time: count again.
            }
        }
    }

    public async Task<RoleHealthReport> ReadAsync(string directoryId, CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync();
        var partition = PartitionLayout.Partition(directoryId);
        var pendingUsers = 0;
        DateTimeOffset? oldest = null;
        var fanOuts = 0;
        foreach (var prefix in PartitionLayout.OutboxPrefixes)
        {
            await foreach (var row in store.Table.QueryAsync<TableEntity>(
                ResourceStore.RangeFilter(partition, prefix, PartitionLayout.PrefixEnd(prefix)), select: ["RowKey", OutboxRules.ChangedAtProperty], cancellationToken: cancellationToken))
            {
                if (prefix == PartitionLayout.OutboxPrefix) pendingUsers++;
                else fanOuts++;
                if (row.GetDateTimeOffset(OutboxRules.ChangedAtProperty) is { } changedAt && (oldest is null || changedAt < oldest)) oldest = changedAt;
            }
        }
        var health = await store.Table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.RoleHealth, cancellationToken: cancellationToken);
        var poisonDepth = await queue.PoisonedCountAsync(cancellationToken);
        return new RoleHealthReport(
            pendingUsers,
            oldest,
            fanOuts,
            health.HasValue ? health.Value!.GetInt32(PoisonedProperty) ?? 0 : 0,
            health.HasValue ? health.Value!.GetDateTimeOffset(LastPoisonedAtProperty) : null,
            health.HasValue ? health.Value!.GetString(LastReasonProperty) : null,
            poisonDepth);
    }
}
