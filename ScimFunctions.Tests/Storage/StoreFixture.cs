using Azure;
using Azure.Core;
using Azure.Data.Tables;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Storage;

/// <summary>A <see cref="ScimStore"/> on the test Azurite with a round-trip counter, a fresh directory,
/// and an uncounted table client for looking at rows directly.</summary>
public sealed class StoreFixture
{
    public const string TableName = "ScimStorageTests";

    private StoreFixture(TableServiceClient service, ScimStore store, TableClient rawTable, RoundTripCounter counter, FailingTransactionPolicy faults)
    {
        Service = service;
        Store = store;
        RawTable = rawTable;
        Counter = counter;
        Faults = faults;
    }

    /// <summary>The counted, fault-injecting service the store uses, for other stores of the same table.</summary>
    public TableServiceClient Service { get; }
    public ScimStore Store { get; }
    public TableClient RawTable { get; }
    public RoundTripCounter Counter { get; }
    public FailingTransactionPolicy Faults { get; }
    public string Directory { get; } = TestStorage.NewDirectoryId();
    public string Partition => PartitionLayout.Partition(Directory);

    /// <param name="tableName">A table of the test's own, when other tests' rows would slow the emulator's range scans.</param>
    public static async Task<StoreFixture> CreateAsync(string tableName = TableName)
    {
        var counter = new RoundTripCounter();
        var faults = new FailingTransactionPolicy();
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0; // an injected failure must surface, not be retried away
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        var service = new TableServiceClient(TestStorage.ConnectionString, options);
        var storageOptions = new ScimStorageOptions { TableName = tableName };
        var store = new ScimStore(new ScimDataTable(service, storageOptions), storageOptions);
        await store.EnsureTableAsync();
        counter.Reset();
        var rawTable = new TableServiceClient(TestStorage.ConnectionString).GetTableClient(tableName);
        return new StoreFixture(service, store, rawTable, counter, faults);
    }

    public async Task<bool> RowExistsAsync(string rowKey) =>
        (await RawTable.GetEntityIfExistsAsync<TableEntity>(Partition, rowKey)).HasValue;

    public async Task<List<string>> RowKeysAsync(string prefix)
    {
        var keys = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {prefix} and RowKey lt {PartitionLayout.PrefixEnd(prefix)}");
        await foreach (var row in RawTable.QueryAsync<TableEntity>(filter, select: ["RowKey"])) keys.Add(row.RowKey);
        return keys;
    }

    /// <summary>Removes the directory's rows under <paramref name="prefix"/>: a test clears the outbox rows its setup
    /// wrote (a user's create records one) so it sees only those the change under test writes.</summary>
    public async Task DeleteRowsAsync(string prefix)
    {
        foreach (var chunk in (await RowKeysAsync(prefix)).Chunk(100))
        {
            await RawTable.SubmitTransactionAsync(chunk.Select(key =>
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, key), ETag.All)));
        }
    }

    /// <summary>Every row of the directory except the change log, which records each committed write
    /// (ChangeLogTests check it), and the count shards (DirectoryCountsTests check them).</summary>
    public async Task<List<string>> AllRowKeysAsync()
    {
        var keys = new List<string>();
        await foreach (var row in RawTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), select: ["RowKey"]))
        {
            if (!row.RowKey.StartsWith(PartitionLayout.ChangePrefix, StringComparison.Ordinal)
                && !row.RowKey.StartsWith(PartitionLayout.CountPrefix, StringComparison.Ordinal)) keys.Add(row.RowKey);
        }
        return keys;
    }
}
