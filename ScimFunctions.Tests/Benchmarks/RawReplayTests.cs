using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ScimFunctions.Benchmarks.Http;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Benchmarks;

/// <summary>
/// The benchmark's raw baseline must make the same number and kind of storage calls as the recorded request
/// and must not touch the recorded partition; the counter must see every call and every row returned.
/// </summary>
public sealed class RawReplayTests
{
    private const string TableName = "BenchmarkReplayTests";

    private const string QueueName = "benchmark-replay-tests";

    private static (TableServiceClient Service, QueueServiceClient Queues, StorageCallCounter Counter) CountedClient()
    {
        var counter = new StorageCallCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.AddPolicy(counter.QueuePolicy, HttpPipelinePosition.PerRetry);
        return (new TableServiceClient(TestStorage.ConnectionString, options), new QueueServiceClient(TestStorage.ConnectionString, queueOptions), counter);
    }

    [Fact]
    public async Task Replay_makes_the_same_calls_as_the_recording_in_the_same_partition_without_touching_its_rows()
    {
        var (service, queues, counter) = CountedClient();
        await service.CreateTableIfNotExistsAsync(TableName);
        var queue = queues.GetQueueClient(QueueName);
        await queue.CreateIfNotExistsAsync(); // not a send: not counted
        await queue.ClearMessagesAsync();
        var table = service.GetTableClient(TableName);
        var partition = TestStorage.NewDirectoryId();
        await table.UpsertEntityAsync(new TableEntity(partition, "doomed"));

        counter.StartRecording();
        await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "row|a") { ["Data"] = "alpha" }),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "row|b") { ["Data"] = "beta" }),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "row|c") { ["Data"] = "gamma" }),
            new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, "doomed"), ETag.All),
        ]);
        await table.GetEntityAsync<TableEntity>(partition, "row|a");
        var pages = 0;
        // A key range, as every SCIM query is: the replay's own rows (under RawReplay.KeyPrefix) sort outside it.
        var range = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"row|"} and RowKey lt {"row}"}");
        await foreach (var _ in table.QueryAsync<TableEntity>(range, maxPerPage: 2).AsPages()) pages++;
        await table.UpsertEntityAsync(new TableEntity(partition + "-other", "row|d")); // elsewhere, so the queries replay on the rows they saw
        await queue.SendMessageAsync(new string('m', 300));
        var recorded = counter.StopRecording();

        Assert.Equal(2, pages);
        Assert.Equal(
            [StorageCallKind.Transaction, StorageCallKind.PointRead, StorageCallKind.Query, StorageCallKind.Query, StorageCallKind.Write, StorageCallKind.QueueSend],
            recorded.Select(c => c.Kind));
        Assert.Equal(["POST", "POST", "POST", "DELETE"], recorded[0].TransactionVerbs);
        Assert.All(recorded.SkipLast(1), c => Assert.Equal(TableName, c.Table));
        Assert.Equal(1 + 2 + 1, recorded.Sum(c => c.RowsReturned)); // one point read, then pages of 2 and 1

        var rowsBefore = await RowKeysAsync(table, partition);
        var (rawService, rawQueues, rawCounter) = CountedClient();
        var replay = RawReplay.From(recorded, rawService, rawQueues);
        await replay.PrepareAsync(1, CancellationToken.None);
        var before = rawCounter.Snapshot();
        await replay.RunAsync(CancellationToken.None);
        var replayed = rawCounter.Snapshot() - before;

        Assert.Equal(6, replay.RoundTrips);
        Assert.Equal((1L, 2L, 1L, 1L, 1L), (replayed.PointReads, replayed.Queries, replayed.Transactions, replayed.Writes, replayed.QueueSends));
        Assert.Equal(4, replayed.RowsRead);
        var rowsAfter = await RowKeysAsync(table, partition);
        Assert.Equal(rowsBefore, rowsAfter.Where(k => !k.StartsWith(RawReplay.KeyPrefix, StringComparison.Ordinal)));
        // The transaction's 3 inserts landed in the recorded partition; its delete took a row prepared beforehand.
        Assert.Equal(3, rowsAfter.Count(k => k.StartsWith(RawReplay.KeyPrefix, StringComparison.Ordinal)));
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount); // the side queue took the replayed send
        var sideMessage = (await rawQueues.GetQueueClient(RawReplay.ShadowQueue).PeekMessageAsync()).Value;
        Assert.InRange(sideMessage.Body.ToString().Length, 295, 305); // the same size as the recorded 300-character message
    }

    [Fact]
    public async Task Conditional_writes_replay_as_updates_of_reserved_rows_that_exist_and_deletes_take_reserved_rows()
    {
        var (service, queues, counter) = CountedClient();
        await service.CreateTableIfNotExistsAsync(TableName);
        var table = service.GetTableClient(TableName);
        var partition = TestStorage.NewDirectoryId();
        var document = (await table.UpsertEntityAsync(new TableEntity(partition, "doc|a") { ["Data"] = "v1" })).Headers.ETag!.Value;
        await table.UpsertEntityAsync(new TableEntity(partition, "member|a"));

        counter.StartRecording();
        await table.UpsertEntityAsync(new TableEntity(partition, "outbox|a"), TableUpdateMode.Replace); // unconditional
        await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(partition, "doc|a") { ["Data"] = "v2" }, document),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "member|b")),
            new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, "member|a"), ETag.All),
        ]);
        await table.UpdateEntityAsync(new TableEntity(partition, "doc|a") { ["Data"] = "v3" }, ETag.All, TableUpdateMode.Replace);
        var recorded = counter.StopRecording();

        Assert.Equal([false], recorded[0].Conditional);
        Assert.Equal(["PATCH", "POST", "DELETE"], recorded[1].TransactionVerbs); // the SDK sends a merge as PATCH
        Assert.Equal([true, false, true], recorded[1].Conditional);
        Assert.Equal([true], recorded[2].Conditional);

        var (rawService, rawQueues, rawCounter) = CountedClient();
        var reserve = new RawReplayReserve();
        await reserve.WriteAsync(rawService, TableName, partition, deletableRows: 3, CancellationToken.None);
        var reserved = (await RowKeysAsync(table, partition)).Where(k => k.StartsWith(RawReplay.KeyPrefix, StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(RawReplayReserve.UpdateRows + 3, reserved.Count);

        var replay = RawReplay.From(recorded, rawService, rawQueues, reserve);
        await replay.PrepareAsync(1, CancellationToken.None); // the reserve holds the delete's row: nothing prepared
        Assert.Equal(RawReplayReserve.UpdateRows + 3, (await RowKeysAsync(table, partition)).Count(k => k.StartsWith(RawReplay.KeyPrefix, StringComparison.Ordinal)));
        var before = rawCounter.Snapshot();
        await replay.RunAsync(CancellationToken.None);
        var replayed = rawCounter.Snapshot() - before;
        Assert.Equal((1L, 2L), (replayed.Transactions, replayed.Writes));

        var after = new Dictionary<string, TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition)) after[row.RowKey] = row;
        var replayRows = after.Keys.Where(k => k.StartsWith(RawReplay.KeyPrefix, StringComparison.Ordinal)).ToList();
        // The two writes the recording made on fresh rows (the upsert, the insert) made fresh rows...
        Assert.Equal(2, replayRows.Count(k => !reserved.Contains(k)));
        // ...the two conditional ones updated reserved rows (which gained the payload), and the delete took one.
        Assert.Equal(2, replayRows.Count(k => reserved.Contains(k) && after[k].ContainsKey("Payload")));
        Assert.Equal(1, reserved.Count(k => !after.ContainsKey(k)));
        Assert.Equal(2, reserve.DeletableLeft(TableName, partition));
        Assert.Equal("v3", after["doc|a"].GetString("Data")); // the recorded rows are untouched
        Assert.True(after.ContainsKey("member|b") && !after.ContainsKey("member|a"));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, LoadRunner.Percentile(sorted, 0.50));
        Assert.Equal(10, LoadRunner.Percentile(sorted, 0.95));
        Assert.Equal(10, LoadRunner.Percentile(sorted, 0.99));
        Assert.True(double.IsNaN(LoadRunner.Percentile([], 0.5)));
    }

    [Fact]
    public async Task Load_runner_stops_at_its_operation_cap_and_counts_failures()
    {
        var calls = 0;
        var result = await LoadRunner.RunAsync(_ =>
        {
            var n = Interlocked.Increment(ref calls);
            return n % 4 == 0 ? Task.FromException(new InvalidOperationException("every fourth fails")) : Task.CompletedTask;
        }, 4, new CellBudget(TimeSpan.FromMinutes(1), 0, 40), CancellationToken.None);

        Assert.Equal(40, calls);
        Assert.Equal(30, result.Operations);
        Assert.Equal(10, result.Errors);
        Assert.Contains("every fourth fails", result.FirstError);
    }

    private static async Task<List<string>> RowKeysAsync(TableClient table, string partition)
    {
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"])) keys.Add(row.RowKey);
        return keys;
    }
}
