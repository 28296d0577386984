using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.ChangeFeed;

/// <summary>The <see cref="ChangeLog"/> rows of a directory's partition, as the feed, webhook delivery and a group's role settle pass read them and the pruner deletes them.</summary>
public sealed class ChangeLogStore(ScimDataTable data)
{
    private const int RowsPerTransaction = 100;

    /// <summary>Up to <paramref name="count"/> changes after <paramref name="after"/> (null: from the oldest) and
    /// below <paramref name="upper"/>, in key order: 1 range read. <c>More</c> says rows remain below the bound.</summary>
    public async Task<(List<(string Key, ChangeEntry Entry)> Changes, bool More)> ReadAsync(
        string directoryId, string? after, string upper, int count, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var filter = after is null
            ? KeyRange.Between(partition, PartitionLayout.ChangePrefix, upper)
            : KeyRange.After(partition, after, upper);
        var changes = new List<(string, ChangeEntry)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, Math.Min(1000, count + 1), cancellationToken: cancellationToken))
        {
            if (changes.Count == count) return (changes, true);
            changes.Add((row.RowKey, ToEntry(row)));
        }
        return (changes, false);
    }

    /// <summary>Changes with <paramref name="from"/> &lt; key ≤ <paramref name="through"/> that storage committed at or
    /// after <paramref name="committedSince"/> (its own <c>Timestamp</c>) and at least <paramref name="lateBy"/> after
    /// their stamp, in key order, at most <paramref name="count"/>: 1 range read, filtered by the service, so rows
    /// committed earlier cost no transfer.</summary>
    public async Task<List<(string Key, ChangeEntry Entry)>> ReadCommittedSinceAsync(
        string directoryId, string from, string through, DateTimeOffset committedSince, TimeSpan lateBy, int count, CancellationToken cancellationToken)
    {
        var changes = new List<(string, ChangeEntry)>();
        if (string.CompareOrdinal(from, through) >= 0) return changes;
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {from} and RowKey le {through} and Timestamp ge {committedSince}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, Math.Min(1000, count), cancellationToken: cancellationToken))
        {
            if (row.Timestamp is not { } committed || committed - PartitionLayout.ChangeStampOf(row.RowKey) < lateBy) continue;
            changes.Add((row.RowKey, ToEntry(row)));
            if (changes.Count == count) break;
        }
        return changes;
    }

    /// <summary>
    /// The users the change log shows removed from the group by transactions storage committed at or after
    /// <paramref name="committedSince"/>, from change rows after <paramref name="afterKey"/>: 1 range read per
    /// 1,000 rows the service scans (it filters by kind, group and commit time, so only the group's removals are
    /// sent), at most <paramref name="pageSize"/> change rows. <c>LastKey</c> continues the next page.
    /// </summary>
    public async Task<(List<string> UserIds, string? LastKey, bool More)> RemovedFromGroupSinceAsync(
        string directoryId, string groupId, string afterKey, DateTimeOffset committedSince, int pageSize, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {PartitionLayout.Partition(directoryId)} and RowKey gt {afterKey} and RowKey lt {PartitionLayout.PrefixEnd(PartitionLayout.ChangePrefix)} and Timestamp ge {committedSince} and Kind eq {ChangeLog.MembershipKind} and Id eq {groupId}");
        var userIds = new List<string>();
        string? lastKey = null;
        var rows = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, Math.Min(1000, pageSize + 1), ["RowKey", ChangeLog.RemovedProperty], cancellationToken))
        {
            if (rows == pageSize) return (userIds, lastKey, true);
            rows++;
            lastKey = row.RowKey;
            userIds.AddRange((row.GetString(ChangeLog.RemovedProperty) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
        }
        return (userIds, lastKey, false);
    }

    /// <summary>The change row at <paramref name="key"/>, or null when it is not (or no longer) there: 1 point read.</summary>
    public async Task<ChangeEntry?> GetAsync(string directoryId, string key, CancellationToken cancellationToken)
    {
        if (!PartitionLayout.IsChangePosition(key)) return null;
        var table = await data.GetAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionLayout.Partition(directoryId), key, cancellationToken: cancellationToken);
        return row.HasValue ? ToEntry(row.Value!) : null;
    }

    /// <summary>Adds a <see cref="ChangeLog.DirectoryKind"/> row at <paramref name="key"/>; a row already there
    /// (a retry of a write that committed) counts as added.</summary>
    public async Task AddDirectoryChangeAsync(string directoryId, string key, string state, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var entry = new TableEntity(PartitionLayout.Partition(directoryId), key)
        {
            [ChangeLog.KindProperty] = ChangeLog.DirectoryKind,
            [ChangeLog.OperationProperty] = state,
            [ChangeLog.IdProperty] = directoryId,
        };
        try
        {
            await table.AddEntityAsync(entry, cancellationToken);
        }
        catch (RequestFailedException exists) when (exists.Status == 409)
        {
        }
    }

    /// <summary>Deletes the directory's change rows below <paramref name="end"/>, 100 per transaction. Returns how many.</summary>
    public async Task<int> DeleteBelowAsync(string directoryId, string end, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var batch = new List<TableTransactionAction>();
        var deleted = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(
            KeyRange.Between(partition, PartitionLayout.ChangePrefix, end), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            batch.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, row.RowKey), ETag.All));
            if (batch.Count == RowsPerTransaction)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                deleted += batch.Count;
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            deleted += batch.Count;
        }
        return deleted;
    }

    private static ChangeEntry ToEntry(TableEntity row) => new(
        row.GetString(ChangeLog.KindProperty) ?? "",
        row.GetString(ChangeLog.OperationProperty) ?? "",
        row.GetString(ChangeLog.IdProperty) ?? "",
        PartitionLayout.ChangeStampOf(row.RowKey),
        SplitIds(row.GetString(ChangeLog.AddedProperty)),
        SplitIds(row.GetString(ChangeLog.RemovedProperty)),
        RoleList(row.GetString(ChangeLog.RolesBeforeProperty)),
        RoleList(row.GetString(ChangeLog.RolesAfterProperty)));

    private static IReadOnlyList<string>? RoleList(string? json)
    {
        if (json is null) return null;
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string[]>(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // an unreadable list is reported as unknown, never guessed
        }
    }

    private static IReadOnlyList<string>? SplitIds(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
