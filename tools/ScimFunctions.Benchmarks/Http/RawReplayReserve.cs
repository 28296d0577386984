using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>
/// Rows of a directory's partition written when its SCIM rows were (right after the initial sync and group
/// build, under <see cref="RawReplay.KeyPrefix"/>), for the raw replay's updates and deletes. Azurite's cost of
/// updating or deleting a row grows with where the row sits in its storage (a linear scan of the key indexes, a
/// shift of every later row), so a replay that updated or deleted rows it wrote just before the cell would do
/// cheaper work than the SCIM request, which updates and deletes rows as old as the directory's.
/// Updates go round the <see cref="UpdateRows"/> (a row may be updated any number of times); deletes take
/// rows of their own until none is left, then the replay falls back to rows written just before the cell.
/// </summary>
public sealed class RawReplayReserve
{
    private readonly ConcurrentDictionary<(string Table, string Partition), Pool> _pools = new();

    /// <summary>Rows kept for updates, per partition: more than any transaction's operations, so one transaction
    /// never names a row twice.</summary>
    public const int UpdateRows = 256;

    /// <summary>Writes <see cref="UpdateRows"/> rows for updates and <paramref name="deletableRows"/> for deletes,
    /// in transactions of 100.</summary>
    public async Task WriteAsync(TableServiceClient tables, string table, string partition, int deletableRows, CancellationToken ct)
    {
        var client = tables.GetTableClient(table);
        var prefix = RawReplay.KeyPrefix + "reserve|" + Guid.NewGuid().ToString("N") + "|";
        var keys = Enumerable.Range(0, UpdateRows + deletableRows).Select(i => prefix + i.ToString("D9")).ToList();
        foreach (var chunk in keys.Chunk(100))
        {
            await client.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, k))), ct);
        }
        _pools[(table, partition)] = new Pool(keys[..UpdateRows], new ConcurrentQueue<string>(keys[UpdateRows..]));
    }

    /// <summary>A reserved row to update, or null when the partition has no reserve.</summary>
    public string? NextToUpdate(string table, string partition) =>
        _pools.TryGetValue((table, partition), out var pool) ? pool.NextToUpdate() : null;

    /// <summary>A reserved row to delete (each is given once), or null when none is left.</summary>
    public string? TakeToDelete(string table, string partition) =>
        _pools.TryGetValue((table, partition), out var pool) && pool.Deletable.TryDequeue(out var key) ? key : null;

    /// <summary>How many reserved rows are left to delete in a partition.</summary>
    public int DeletableLeft(string table, string partition) =>
        _pools.TryGetValue((table, partition), out var pool) ? pool.Deletable.Count : 0;

    private sealed class Pool(IReadOnlyList<string> updatable, ConcurrentQueue<string> deletable)
    {
        private long _next = -1;

        public ConcurrentQueue<string> Deletable { get; } = deletable;

        public string NextToUpdate() => updatable[(int)(Interlocked.Increment(ref _next) % updatable.Count)];
    }
}
