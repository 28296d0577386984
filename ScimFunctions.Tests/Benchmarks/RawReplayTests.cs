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
