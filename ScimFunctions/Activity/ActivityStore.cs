using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Activity;

/// <summary>
/// The activity table: day partitions of each directory's request log and its status row (keys in
/// <see cref="PartitionLayout"/>). Every read follows what it returns: a page is one range query over the
/// directory's days, newest first; retention deletes whole old days by a key range.
/// </summary>
public sealed class ActivityStore(EnsuredTable table)
{
    public const int MaxTransactionSize = 100;

    /// <summary>Stores entries of one day partition in one entity group transaction (at most 100).</summary>
    public async Task WriteAsync(IReadOnlyList<ActivityEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0) return;
        if (entries.Count > MaxTransactionSize) throw new ArgumentException($"At most {MaxTransactionSize} entries per transaction.", nameof(entries));
        var client = await table.GetAsync(cancellationToken);
        var actions = entries.Select(entry => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ActivityRows.ToEntity(entry)));
        await client.SubmitTransactionAsync(actions, cancellationToken);
    }

    public async Task<ConnectionRecord?> GetRecordAsync(string directoryId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(
            PartitionLayout.ActivityStatusPartition(directoryId), PartitionLayout.ActivityStatusRow, cancellationToken: cancellationToken);
        return response.HasValue ? ActivityRows.FromStatusEntity(response.Value!) : null;
    }

    public async Task PutRecordAsync(string directoryId, ConnectionRecord record, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(ActivityRows.ToEntity(directoryId, record), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Writes the status row if it is still the version read (<see cref="ConnectionRecord.ETag"/>; added
    /// when none was read). Returns the record as written, with its new ETag, or null when another writer was first.</summary>
    public async Task<ConnectionRecord?> TryPutRecordAsync(string directoryId, ConnectionRecord record, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var entity = ActivityRows.ToEntity(directoryId, record);
        var response = await ConditionalTableWrite.TryAddOrReplaceAsync(client, entity, record.ETag, cancellationToken);
        return response is null ? null : record with { ETag = response.Headers.ETag?.ToString() };
    }

    /// <summary>A page of <paramref name="directoryId"/>'s requests, newest first.</summary>
    public async Task<ActivityPage> QueryAsync(string directoryId, ActivityQuery query, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var entries = new List<ActivityEntry>(query.Count);
        TableEntity? last = null;
        await foreach (var entity in client.QueryAsync<TableEntity>(Filter(directoryId, query), maxPerPage: query.Count, cancellationToken: cancellationToken))
        {
            entries.Add(ActivityRows.FromEntity(directoryId, entity));
            last = entity;
            if (entries.Count == query.Count) break;
        }
        var next = entries.Count == query.Count && last is not null ? new ActivityCursor(last.PartitionKey, last.RowKey) : null;
        return new ActivityPage(entries, next);
    }

    /// <summary>Deletes <paramref name="directoryId"/>'s days before <paramref name="keepFrom"/>'s day, at most
    /// <paramref name="budget"/> rows; returns how many it deleted.</summary>
    public async Task<int> DeleteDaysBeforeAsync(string directoryId, DateTimeOffset keepFrom, int budget, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        // Days are inverted in the key, so older days sort after the oldest kept one.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey gt {PartitionLayout.ActivityDay(directoryId, keepFrom)} and PartitionKey lt {PartitionLayout.ActivityDaysEnd(directoryId)}");
        var deleted = 0;
        var batch = new List<TableTransactionAction>(MaxTransactionSize);
        string? partition = null;
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (deleted + batch.Count >= budget) break;
            if (partition is not null && (entity.PartitionKey != partition || batch.Count == MaxTransactionSize))
            {
                deleted += await SubmitAsync(client, batch, cancellationToken);
            }
            partition = entity.PartitionKey;
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
        }
        deleted += await SubmitAsync(client, batch, cancellationToken);
        return deleted;
    }

    /// <summary>Deletes up to <paramref name="limit"/> rows of a deleted directory's log (every day), then its
    /// status row; says how many, and whether nothing is left.</summary>
    public async Task<(int Removed, bool Empty)> DeleteDirectoryAsync(string directoryId, int limit, CancellationToken cancellationToken)
    {
        // Every day sorts before the day of the latest date, so "before it" is all of them.
        var removed = await DeleteDaysBeforeAsync(directoryId, DateTimeOffset.MaxValue, limit, cancellationToken);
        if (removed >= limit) return (removed, false);
        var client = await table.GetAsync(cancellationToken);
        try
        {
            var status = await client.DeleteEntityAsync(PartitionLayout.ActivityStatusPartition(directoryId), PartitionLayout.ActivityStatusRow, ETag.All, cancellationToken);
            return (removed + (status.Status == 404 ? 0 : 1), true);
        }
        catch (RequestFailedException missing) when (missing.Status == 404)
        {
            return (removed, true);
        }
    }

    private static async Task<int> SubmitAsync(TableClient client, List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return 0;
        var count = batch.Count;
        await client.SubmitTransactionAsync(batch.ToList(), cancellationToken);
        batch.Clear();
        return count;
    }

    private static string Filter(string directoryId, ActivityQuery query)
    {
        var newest = query.Until is { } until ? PartitionLayout.ActivityDay(directoryId, until) : PartitionLayout.ActivityDaysPrefix(directoryId);
        var end = PartitionLayout.ActivityDaysEnd(directoryId);
        var oldest = query.Since is { } since ? PartitionLayout.ActivityDay(directoryId, since) : null;
        var range = oldest is null
            ? TableClient.CreateQueryFilter($"PartitionKey ge {newest} and PartitionKey lt {end}")
            : TableClient.CreateQueryFilter($"PartitionKey ge {newest} and PartitionKey le {oldest}");
        if (query.After is { } after)
        {
            var upper = oldest is null
                ? TableClient.CreateQueryFilter($"PartitionKey lt {end}")
                : TableClient.CreateQueryFilter($"PartitionKey le {oldest}");
            range = TableClient.CreateQueryFilter($"((PartitionKey eq {after.PartitionKey} and RowKey gt {after.RowKey}) or PartitionKey gt {after.PartitionKey})")
                + " and " + upper;
        }
        var conditions = new List<string> { "(" + range + ")" };
        if (query.Since is { } from) conditions.Add(TableClient.CreateQueryFilter($"At ge {from}"));
        if (query.Until is { } to) conditions.Add(TableClient.CreateQueryFilter($"At le {to}"));
        if (query.StatusClass is { } statusClass) conditions.Add(TableClient.CreateQueryFilter($"Status ge {statusClass * 100} and Status lt {statusClass * 100 + 100}"));
        if (query.Method is { } method) conditions.Add(TableClient.CreateQueryFilter($"Method eq {method}"));
        if (query.Resource is { } resource)
        {
            conditions.Add(PartitionLayout.IsServerId(resource)
                ? TableClient.CreateQueryFilter($"ResourceId eq {resource}")
                : TableClient.CreateQueryFilter($"ResourceType eq {resource}"));
        }
        return string.Join(" and ", conditions);
    }
}
