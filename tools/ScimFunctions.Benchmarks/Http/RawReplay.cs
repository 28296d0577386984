using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using System.Web;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>
/// The physical limit for one SCIM operation: the same number and kind of Table Storage round trips, made
/// directly with the SDK against the same Azurite, in the same order and with the same overlap (calls that
/// ran in parallel in the SCIM request run in parallel here).
/// <list type="bullet">
/// <item>Reads are repeated exactly: the same point reads and the same queries (filter, select, page size
/// and number of pages) on the same partition, so Azurite scans the same rows.</item>
/// <item>Writes go to the same partition (Azurite's write cost grows with the partition, so a small side
/// partition would flatter the baseline), on rows under the key prefix <see cref="KeyPrefix"/>, which
/// sorts after every SCIM key prefix so no SCIM read ever meets them, with a payload of the same size: an
/// insert stays an insert on a fresh row, an unconditional replace or merge an upsert of that mode on a fresh
/// row, a conditional one (If-Match: the row had to exist) an update of a row that exists, a transaction keeps
/// its operations, and a delete removes a row that exists. Rows to update and delete come from the directory's
/// <see cref="RawReplayReserve"/>, written when its SCIM rows were, since Azurite's cost of updating or
/// deleting a row grows with the row's age; without one (or once it is used up) deletes take rows prepared
/// outside the timing and conditional writes become upserts of fresh rows.</item>
/// <item>Queue message sends (the role recompute prompt) go to a side queue, with a body of the same size;
/// the side queue is emptied between cells.</item>
/// </list>
/// </summary>
public sealed partial class RawReplay
{
    /// <summary>Where a write with no recorded partition goes.</summary>
    public const string ShadowPartition = "benchmark-raw-baseline";

    /// <summary>Row keys of replayed writes: '~' sorts after every SCIM row key prefix (lowercase letters and '|').</summary>
    public const string KeyPrefix = "~raw|";

    public const string ShadowQueue = "benchmark-raw-baseline";

    private readonly TableServiceClient _tables;
    private readonly QueueClient _queue;
    private readonly IReadOnlyList<IReadOnlyList<ReplayStep>> _waves;
    private readonly ConcurrentQueue<(string Table, string Partition, string Key)> _preparedRows = new();
    private readonly RawReplayReserve? _reserve;
    private long _sequence;

    private RawReplay(TableServiceClient tables, QueueServiceClient queues, IReadOnlyList<IReadOnlyList<ReplayStep>> waves, int deletesPerRun, RawReplayReserve? reserve)
    {
        _tables = tables;
        _reserve = reserve;
        _queue = queues.GetQueueClient(ShadowQueue);
        _waves = waves;
        DeletesPerRun = deletesPerRun;
    }

    public int DeletesPerRun { get; }
    public int RoundTrips => _waves.Sum(w => w.Sum(s => s.RoundTrips));

    public static RawReplay From(IReadOnlyList<StorageCall> calls, TableServiceClient tables, QueueServiceClient queues, RawReplayReserve? reserve = null)
    {
        var ordered = calls.OrderBy(c => c.StartTicks).ToList();
        var waves = new List<List<ReplayStep>>();
        var openQueries = new List<QueryStep>();
        long waveEnd = long.MinValue;
        foreach (var call in ordered)
        {
            if (call.Kind == StorageCallKind.Query && IsContinuationPage(call))
            {
                var chain = openQueries.LastOrDefault(q => q.Matches(call));
                if (chain is not null)
                {
                    chain.Pages++;
                    continue;
                }
            }
            ReplayStep step = call.Kind switch
            {
                StorageCallKind.PointRead => PointReadStep.Parse(call),
                StorageCallKind.Query => QueryStep.Parse(call),
                StorageCallKind.Transaction => new WriteStep(call.Table, PartitionOf(call), call.TransactionVerbs, call.Conditional, PayloadSize(call), transaction: true),
                StorageCallKind.Delete => new WriteStep(call.Table, PartitionOf(call), ["DELETE"], call.Conditional, 0, transaction: false),
                StorageCallKind.QueueSend => new QueueSendStep((int)call.RequestBytes),
                _ => new WriteStep(call.Table, PartitionOf(call), [call.Method], call.Conditional, PayloadSize(call), transaction: false),
            };
            if (step is QueryStep query) openQueries.Add(query);
            if (waves.Count == 0 || call.StartTicks >= waveEnd)
            {
                waves.Add([]);
                waveEnd = call.EndTicks;
            }
            waves[^1].Add(step);
            waveEnd = Math.Max(waveEnd, call.EndTicks);
        }
        var deletes = waves.Sum(w => w.OfType<WriteStep>().Sum(s => s.Deletes));
        return new RawReplay(tables, queues, waves, deletes, reserve);
    }

    /// <summary>Rows for the deletes of <paramref name="runs"/> replays that the reserve cannot give, written in
    /// transactions of 100.</summary>
    public async Task PrepareAsync(int runs, CancellationToken ct)
    {
        if (_waves.Any(w => w.OfType<QueueSendStep>().Any()))
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: ct);
            await _queue.ClearMessagesAsync(ct);
        }
        foreach (var (table, partition) in _waves.SelectMany(w => w).OfType<WriteStep>().Where(s => s.Deletes > 0).Select(s => (s.Table, s.Partition)).Distinct())
        {
            var needed = DeletesPerRun * runs - _preparedRows.Count - (_reserve?.DeletableLeft(table, partition) ?? 0);
            var client = _tables.GetTableClient(table);
            for (var done = 0; done < needed; done += 100)
            {
                var keys = Enumerable.Range(0, Math.Min(100, needed - done)).Select(_ => NextKey()).ToList();
                await client.SubmitTransactionAsync(keys.Select(k => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, k))), ct);
                foreach (var key in keys) _preparedRows.Enqueue((table, partition, key));
            }
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var wave in _waves)
        {
            if (wave.Count == 1) await wave[0].RunAsync(this, ct);
            else await Task.WhenAll(wave.Select(step => step.RunAsync(this, ct)));
        }
    }

    // Every replay writes its own key range: inserts must never meet another replay's rows.
    private readonly string _keyPrefix = KeyPrefix + Guid.NewGuid().ToString("N") + "|";

    private string NextKey() => _keyPrefix + Interlocked.Increment(ref _sequence).ToString("D12");

    private string TakeRowToDelete(string table, string partition)
    {
        if (_reserve?.TakeToDelete(table, partition) is { } reserved) return reserved;
        // Rows run out only if a cell ran more replays than prepared; deleting a missing row is still one round trip.
        return _preparedRows.TryDequeue(out var row) && row.Table == table && row.Partition == partition ? row.Key : NextKey();
    }

    private static string PartitionOf(StorageCall call) => call.Partition ?? ShadowPartition;

    /// <summary>The bytes of entity JSON per operation, less the multipart envelope of a transaction.</summary>
    private static int PayloadSize(StorageCall call)
    {
        var operations = Math.Max(1, call.TransactionVerbs.Count);
        var envelope = call.Kind == StorageCallKind.Transaction ? 250 : 0;
        return (int)Math.Max(0, call.RequestBytes / operations - envelope);
    }

    private static bool IsContinuationPage(StorageCall call) => HttpUtility.ParseQueryString(call.RequestQuery)["NextRowKey"] is not null;

    private abstract class ReplayStep
    {
        public virtual int RoundTrips => 1;
        public abstract Task RunAsync(RawReplay replay, CancellationToken ct);
    }

    private sealed partial class PointReadStep(string table, string partitionKey, string rowKey, IReadOnlyList<string>? select) : ReplayStep
    {
        public static PointReadStep Parse(StorageCall call)
        {
            var match = KeysPattern().Match(call.RequestPath);
            if (!match.Success) throw new FormatException("Not a point read: " + call.RequestPath);
            var select = HttpUtility.ParseQueryString(call.RequestQuery)["$select"];
            return new PointReadStep(call.Table, match.Groups[1].Value.Replace("''", "'"), match.Groups[2].Value.Replace("''", "'"), select?.Split(','));
        }

        public override Task RunAsync(RawReplay replay, CancellationToken ct) =>
            replay._tables.GetTableClient(table).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select, ct);

        [GeneratedRegex(@"\(PartitionKey='(.*)',RowKey='(.*)'\)$", RegexOptions.Singleline)]
        private static partial Regex KeysPattern();
    }

    private sealed class QueryStep(string table, string? filter, int? top, IReadOnlyList<string>? select) : ReplayStep
    {
        public int Pages { get; set; } = 1;
        public override int RoundTrips => Pages;

        public static QueryStep Parse(StorageCall call)
        {
            var query = HttpUtility.ParseQueryString(call.RequestQuery);
            var top = int.TryParse(query["$top"], out var parsed) ? parsed : (int?)null;
            return new QueryStep(call.Table, query["$filter"], top, query["$select"]?.Split(','));
        }

        public bool Matches(StorageCall call)
        {
            var query = HttpUtility.ParseQueryString(call.RequestQuery);
            return call.Table == table && query["$filter"] == filter && query["$select"] == (select is null ? null : string.Join(',', select));
        }

        public override async Task RunAsync(RawReplay replay, CancellationToken ct)
        {
            var pages = 0;
            await foreach (var _ in replay._tables.GetTableClient(table).QueryAsync<TableEntity>(filter, top, select, ct).AsPages(pageSizeHint: top))
            {
                if (++pages == Pages) break;
            }
        }
    }

    /// <summary>A message of the same encoded size as the one sent (the request body is the XML envelope around it).</summary>
    private sealed class QueueSendStep(int requestBytes) : ReplayStep
    {
        private const int EnvelopeBytes = 60; // <QueueMessage><MessageText>…</MessageText></QueueMessage>

        public override Task RunAsync(RawReplay replay, CancellationToken ct) =>
            replay._queue.SendMessageAsync(new string('x', Math.Max(1, (requestBytes - EnvelopeBytes) * 3 / 4)), ct);
    }

    /// <summary>Each write keeps its verb: an insert (POST) inserts a new row; PUT replaces and MERGE/PATCH
    /// merges, a reserved row that exists when the recorded write was conditional (If-Match), else a fresh row
    /// (an upsert); a delete removes a reserved or prepared row.</summary>
    private sealed class WriteStep(string table, string partition, IReadOnlyList<string> verbs, IReadOnlyList<bool> conditional, int payloadBytes, bool transaction) : ReplayStep
    {
        public string Table => table;
        public string Partition => partition;
        public int Deletes => verbs.Count(v => v == "DELETE");

        public override async Task RunAsync(RawReplay replay, CancellationToken ct)
        {
            var client = replay._tables.GetTableClient(table);
            var payload = new string('x', payloadBytes);
            if (transaction)
            {
                await client.SubmitTransactionAsync(verbs.Select((verb, i) => Action(replay, verb, i, payload)).ToList(), ct);
                return;
            }
            var action = Action(replay, verbs[0], 0, payload);
            await (action.ActionType switch
            {
                TableTransactionActionType.Add => client.AddEntityAsync(action.Entity, ct),
                TableTransactionActionType.Delete => client.DeleteEntityAsync(partition, action.Entity.RowKey, ETag.All, ct),
                TableTransactionActionType.UpdateMerge => client.UpdateEntityAsync(action.Entity, ETag.All, TableUpdateMode.Merge, ct),
                TableTransactionActionType.UpdateReplace => client.UpdateEntityAsync(action.Entity, ETag.All, TableUpdateMode.Replace, ct),
                TableTransactionActionType.UpsertMerge => client.UpsertEntityAsync(action.Entity, TableUpdateMode.Merge, ct),
                _ => client.UpsertEntityAsync(action.Entity, TableUpdateMode.Replace, ct),
            });
        }

        private TableTransactionAction Action(RawReplay replay, string verb, int operation, string payload)
        {
            if (verb == "POST") return new(TableTransactionActionType.Add, Row(replay.NextKey(), payload));
            if (verb == "DELETE") return new(TableTransactionActionType.Delete, new TableEntity(partition, replay.TakeRowToDelete(table, partition)), ETag.All);
            var merge = verb is "MERGE" or "PATCH";
            if (operation < conditional.Count && conditional[operation] && replay._reserve?.NextToUpdate(table, partition) is { } existing)
            {
                return new(merge ? TableTransactionActionType.UpdateMerge : TableTransactionActionType.UpdateReplace, Row(existing, payload), ETag.All);
            }
            return new(merge ? TableTransactionActionType.UpsertMerge : TableTransactionActionType.UpsertReplace, Row(replay.NextKey(), payload));
        }

        private TableEntity Row(string key, string payload) => new(partition, key) { ["Payload"] = payload };
    }
}
