using System.Diagnostics;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimFunctions.Benchmarks.Http;

public enum StorageCallKind
{
    PointRead,
    Query,
    Transaction,
    Write,
    Delete,
    QueueSend,
}

/// <summary>One Table Storage request as it went on the wire, with enough detail to replay an equivalent one.</summary>
public sealed record StorageCall(
    StorageCallKind Kind,
    string Method,
    string Table,
    string RequestPath,
    string RequestQuery,
    IReadOnlyList<string> TransactionVerbs,
    long RequestBytes,
    int RowsReturned,
    bool HasContinuation,
    long StartTicks,
    long EndTicks,
    string? Partition = null,
    IReadOnlyList<bool>? Conditional = null)
{
    /// <summary>Per write operation (each of a transaction's, or the one write or delete): whether it carried
    /// If-Match, i.e. updated or deleted a row that had to exist, which a replay must do to a row that exists too.</summary>
    public IReadOnlyList<bool> Conditional { get; } = Conditional ?? [];
}

/// <summary>
/// Counts every Table Storage request a client sends (attached per retry, so retries count too) and the
/// entities that came back; attached to a queue client as well (<see cref="QueuePolicy"/>), it counts the
/// message sends. While <see cref="StartRecording"/> is on, it also keeps each request's shape, which the raw
/// baseline replays. Rows are counted from the response body (one "odata.etag" per entity), so counting adds
/// no request of its own.
/// </summary>
public sealed partial class StorageCallCounter : HttpPipelinePolicy
{
    private static readonly byte[] EntityMarker = "\"odata.etag\""u8.ToArray();

    private long _pointReads;
    private long _queries;
    private long _transactions;
    private long _writes;
    private long _queueSends;
    private long _rowsRead;
    private volatile List<StorageCall>? _recording;
    private readonly object _recordingLock = new();

    public StorageCounts Snapshot() => new(
        Interlocked.Read(ref _pointReads),
        Interlocked.Read(ref _queries),
        Interlocked.Read(ref _transactions),
        Interlocked.Read(ref _writes),
        Interlocked.Read(ref _queueSends),
        Interlocked.Read(ref _rowsRead));

    /// <summary>
    /// The policy for the app's queue client: message sends (POST …/messages) count as
    /// <see cref="StorageCallKind.QueueSend"/>; the queue's one-time create-if-missing is not counted.
    /// </summary>
    public HttpPipelinePolicy QueuePolicy => _queuePolicy ??= new QueueSendPolicy(this);

    private HttpPipelinePolicy? _queuePolicy;

    public void StartRecording() => _recording = [];

    public IReadOnlyList<StorageCall> StopRecording()
    {
        var recorded = _recording ?? [];
        _recording = null;
        lock (_recordingLock) return recorded.ToList();
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The benchmark uses the asynchronous SDK methods only.");

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        CountAsync(message, pipeline, Classify(message.Request));

    private async ValueTask CountAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, StorageCallKind kind)
    {
        var recording = _recording;
        var started = Stopwatch.GetTimestamp();
        var requestBody = recording is null ? null : RequestBody(message.Request);
        await ProcessNextAsync(message, pipeline);

        var rows = message.HasResponse ? RowsIn(kind, message.Response) : 0;
        switch (kind)
        {
            case StorageCallKind.PointRead: Interlocked.Increment(ref _pointReads); break;
            case StorageCallKind.Query: Interlocked.Increment(ref _queries); break;
            case StorageCallKind.Transaction: Interlocked.Increment(ref _transactions); break;
            case StorageCallKind.QueueSend: Interlocked.Increment(ref _queueSends); break;
            default: Interlocked.Increment(ref _writes); break;
        }
        Interlocked.Add(ref _rowsRead, rows);

        if (recording is null) return;
        var uri = message.Request.Uri.ToUri();
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var (verbs, conditional, transactionTable) = kind == StorageCallKind.Transaction
            ? ReadTransaction(requestBody!)
            : ([], kind is StorageCallKind.Write or StorageCallKind.Delete ? [message.Request.Headers.Contains("If-Match")] : [], null);
        var call = new StorageCall(
            kind,
            message.Request.Method.Method,
            transactionTable ?? TableName(path),
            path,
            uri.Query,
            verbs,
            requestBody?.Length ?? 0,
            rows,
            message.HasResponse && message.Response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out _),
            started,
            Stopwatch.GetTimestamp(),
            kind is StorageCallKind.Transaction or StorageCallKind.Write or StorageCallKind.Delete ? PartitionOf(path, requestBody!) : null,
            conditional);
        lock (_recordingLock) recording.Add(call);
    }

    private static StorageCallKind Classify(Request request)
    {
        var path = request.Uri.Path;
        if (path.EndsWith("$batch", StringComparison.Ordinal)) return StorageCallKind.Transaction;
        if (request.Method == RequestMethod.Get) return path.EndsWith(')') && path.Contains("RowKey=", StringComparison.Ordinal) ? StorageCallKind.PointRead : StorageCallKind.Query;
        return request.Method == RequestMethod.Delete ? StorageCallKind.Delete : StorageCallKind.Write;
    }

    private static int RowsIn(StorageCallKind kind, Response response)
    {
        if (response.Status >= 300) return 0;
        if (kind == StorageCallKind.PointRead) return 1;
        if (kind != StorageCallKind.Query) return 0;
        var body = response.Content.ToMemory().Span;
        var rows = 0;
        for (var at = body.IndexOf(EntityMarker); at >= 0; at = body.IndexOf(EntityMarker))
        {
            rows++;
            body = body[(at + EntityMarker.Length)..];
        }
        return rows;
    }

    private static byte[] RequestBody(Request request)
    {
        if (request.Content is null) return [];
        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        return buffer.ToArray();
    }

    /// <summary>The HTTP verb of each operation inside an entity group transaction's multipart body, whether its
    /// headers carry If-Match, and the table they address (the request line is "VERB {table URL}[(keys)] HTTP/1.1",
    /// its headers follow up to a blank line).</summary>
    private static (IReadOnlyList<string> Verbs, IReadOnlyList<bool> Conditional, string? Table) ReadTransaction(byte[] body)
    {
        var verbs = new List<string>();
        var conditional = new List<bool>();
        string? table = null;
        var inHeaders = false;
        foreach (var raw in Encoding.UTF8.GetString(body).Split('\n'))
        {
            var line = raw.Trim();
            if (inHeaders)
            {
                if (line.Length == 0) inHeaders = false;
                else if (line.StartsWith("If-Match:", StringComparison.OrdinalIgnoreCase)) conditional[^1] = true;
                continue;
            }
            var parts = line.Split(' ');
            if (parts.Length != 3 || parts[0] is not ("POST" or "PUT" or "MERGE" or "PATCH" or "DELETE") || !parts[2].StartsWith("HTTP/", StringComparison.Ordinal)) continue;
            verbs.Add(parts[0]);
            conditional.Add(false);
            inHeaders = true;
            table ??= TableName(Uri.UnescapeDataString(new Uri(parts[1]).AbsolutePath));
        }
        return (verbs, conditional, table);
    }

    private sealed class QueueSendPolicy(StorageCallCounter counter) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The benchmark uses the asynchronous SDK methods only.");

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal)
                ? counter.CountAsync(message, pipeline, StorageCallKind.QueueSend)
                : ProcessNextAsync(message, pipeline);
    }

    /// <summary>The partition a write addresses: from the keys in its URL, else from the entity body (an insert);
    /// every operation of a transaction is in the same partition, so the first one tells.</summary>
    private static string? PartitionOf(string path, byte[] body)
    {
        var inPath = KeyedPartition().Match(path);
        if (inPath.Success) return inPath.Groups[1].Value.Replace("''", "'");
        var text = Encoding.UTF8.GetString(body);
        var inUrl = KeyedPartition().Match(Uri.UnescapeDataString(text));
        var inJson = JsonPartition().Match(text);
        if (inJson.Success && (!inUrl.Success || inJson.Index < inUrl.Index)) return System.Text.Json.JsonSerializer.Deserialize<string>(inJson.Groups[1].Value);
        return inUrl.Success ? inUrl.Groups[1].Value.Replace("''", "'") : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\(PartitionKey='((?:[^']|'')*)',RowKey=")]
    private static partial System.Text.RegularExpressions.Regex KeyedPartition();

    [System.Text.RegularExpressions.GeneratedRegex(@"""PartitionKey""\s*:\s*(""(?:[^""\\]|\\.)*"")")]
    private static partial System.Text.RegularExpressions.Regex JsonPartition();

    /// <summary>"/devstoreaccount1/Table(PartitionKey='..',RowKey='..')" or "/devstoreaccount1/Table()" → "Table".</summary>
    private static string TableName(string path)
    {
        var last = path.TrimEnd('/').Split('/')[^1];
        var paren = last.IndexOf('(');
        return paren >= 0 ? last[..paren] : last;
    }
}

/// <summary>Counters since start; subtract two snapshots for the calls in between.</summary>
public readonly record struct StorageCounts(long PointReads, long Queries, long Transactions, long Writes, long QueueSends, long RowsRead)
{
    public long RoundTrips => PointReads + Queries + Transactions + Writes + QueueSends;

    public static StorageCounts operator -(StorageCounts a, StorageCounts b) =>
        new(a.PointReads - b.PointReads, a.Queries - b.Queries, a.Transactions - b.Transactions, a.Writes - b.Writes,
            a.QueueSends - b.QueueSends, a.RowsRead - b.RowsRead);
}
