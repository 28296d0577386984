using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>Each endpoint's delivery attempts, newest first (one partition per endpoint, inverted-time keys), so
/// a page is 1 range read and retention deletes one key range.</summary>
public sealed class WebhookDeliveryLog(WebhookTable table)
{
    private const int RowsPerTransaction = 100;

    /// <summary>Adds a run's attempts: one transaction per 100.</summary>
    public async Task AddAsync(string endpointId, IReadOnlyList<WebhookAttempt> attempts, CancellationToken cancellationToken)
    {
        if (attempts.Count == 0) return;
        var client = await table.GetAsync(cancellationToken);
        var partition = PartitionLayout.WebhookLogPartition(endpointId);
        foreach (var chunk in attempts.Chunk(RowsPerTransaction))
        {
            await client.SubmitTransactionAsync(chunk.Select(a => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(partition, a))), cancellationToken);
        }
    }

    /// <summary>Up to <paramref name="count"/> attempts, newest first, after the row key <paramref name="after"/>;
    /// <paramref name="eventId"/> narrows to one event's attempts.</summary>
    public async Task<(IReadOnlyList<WebhookAttempt> Attempts, string? Next)> ReadAsync(
        string endpointId, string? after, int count, string? eventId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var partition = PartitionLayout.WebhookLogPartition(endpointId);
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after}");
        if (eventId is not null) filter += " and " + TableClient.CreateQueryFilter($"EventId eq {eventId}");
        var attempts = new List<WebhookAttempt>();
        string? last = null;
        await foreach (var row in client.QueryAsync<TableEntity>(filter, Math.Min(1000, count + 1), cancellationToken: cancellationToken))
        {
            if (attempts.Count == count) return (attempts, last);
            attempts.Add(ToAttempt(row));
            last = row.RowKey;
        }
        return (attempts, null);
    }

    /// <summary>Deletes the endpoint's attempts made before <paramref name="cutoff"/>. Returns how many.</summary>
    public async Task<int> PruneAsync(string endpointId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var partition = PartitionLayout.WebhookLogPartition(endpointId);
        var deleted = 0;
        var batch = new List<TableTransactionAction>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {PartitionLayout.WebhookLogBefore(cutoff)}");
        await foreach (var row in client.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            batch.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, row.RowKey), ETag.All));
            if (batch.Count < RowsPerTransaction) continue;
            await client.SubmitTransactionAsync(batch, cancellationToken);
            deleted += batch.Count;
            batch.Clear();
        }
        if (batch.Count > 0) await client.SubmitTransactionAsync(batch, cancellationToken);
        return deleted + batch.Count;
    }

    private static TableEntity ToEntity(string partition, WebhookAttempt attempt) => new(partition, PartitionLayout.WebhookLogEntry(attempt.At, attempt.AttemptId))
    {
        ["At"] = attempt.At,
        ["DirectoryId"] = attempt.DirectoryId,
        ["EventId"] = attempt.EventId,
        ["EventType"] = attempt.EventType,
        ["ChangeKey"] = attempt.ChangeKey,
        ["StatusCode"] = attempt.StatusCode,
        ["DurationMs"] = (int)Math.Min(int.MaxValue, attempt.Duration.TotalMilliseconds),
        ["Error"] = attempt.Error,
    };

    private static WebhookAttempt ToAttempt(TableEntity row) => new(
        PartitionLayout.LastSegment(row.RowKey),
        row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        row.GetString("DirectoryId") ?? "",
        row.GetString("EventId") ?? "",
        row.GetString("EventType") ?? "",
        row.GetString("ChangeKey") ?? "",
        row.GetInt32("StatusCode"),
        TimeSpan.FromMilliseconds(row.GetInt32("DurationMs") ?? 0),
        row.GetString("Error"));
}
