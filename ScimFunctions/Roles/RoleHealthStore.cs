using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>The <c>roleHealth</c> row of a directory (poisoned messages) and the counts of its pending outbox rows.</summary>
public sealed class RoleHealthStore(ScimDataTable data)
{
    private const string PoisonedProperty = "Poisoned";
    private const string LastPoisonedAtProperty = "LastPoisonedAt";
    private const string LastReasonProperty = "LastReason";

    /// <summary>Adds one poisoned message with its reason; concurrent records of one directory all count.</summary>
    public async Task RecordPoisonedAsync(string directoryId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.RoleHealth, cancellationToken: cancellationToken);
            var row = new TableEntity(partition, PartitionLayout.RoleHealth)
            {
                [PoisonedProperty] = (current.HasValue ? current.Value!.GetInt32(PoisonedProperty) ?? 0 : 0) + 1,
                [LastPoisonedAtProperty] = at,
                [LastReasonProperty] = reason,
            };
            try
            {
                if (current.HasValue) await table.UpdateEntityAsync(row, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else await table.AddEntityAsync(row, cancellationToken);
                return;
            }
            catch (RequestFailedException conflict) when (conflict.Status is 409 or 412)
            {
                // Another message of this directory was recorded at the same time: count again.
            }
        }
    }

    /// <summary>Poisoned messages so far, the last one's time and reason: 1 point read.</summary>
    public async Task<(int Poisoned, DateTimeOffset? LastAt, string? LastReason)> ReadPoisonedAsync(string directoryId, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var health = await table.GetEntityIfExistsAsync<TableEntity>(PartitionLayout.Partition(directoryId), PartitionLayout.RoleHealth, cancellationToken: cancellationToken);
        if (!health.HasValue) return (0, null, null);
        var row = health.Value!;
        return (row.GetInt32(PoisonedProperty) ?? 0, row.GetDateTimeOffset(LastPoisonedAtProperty), row.GetString(LastReasonProperty));
    }

    /// <summary>Pending user rows, pending fan-out rows and the oldest change among them: 4 key-only range reads.</summary>
    public async Task<(int Users, int FanOuts, DateTimeOffset? Oldest)> ReadPendingAsync(string directoryId, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var users = 0;
        var fanOuts = 0;
        DateTimeOffset? oldest = null;
        // Fan-out rows before user rows: a fan-out writes its users' rows before it clears its own, so a pending
        // recompute is counted in one or the other, never missed between the reads.
        foreach (var prefix in PartitionLayout.OutboxPrefixes.OrderBy(p => p == PartitionLayout.OutboxPrefix))
        {
            await foreach (var row in table.QueryAsync<TableEntity>(
                KeyRange.Under(partition, prefix), select: ["RowKey", OutboxRules.ChangedAtProperty], cancellationToken: cancellationToken))
            {
                if (prefix == PartitionLayout.OutboxPrefix) users++;
                else fanOuts++;
                if (row.GetDateTimeOffset(OutboxRules.ChangedAtProperty) is { } changedAt && (oldest is null || changedAt < oldest)) oldest = changedAt;
            }
        }
        return (users, fanOuts, oldest);
    }
}
