namespace ScimFunctions.Storage;

/// <summary>
/// This instance's view of one count shard row. Only the instance that made the shard writes it, and only one
/// request at a time holds it (<see cref="CountShards"/> leases it), so the cached values and ETag stay those of
/// the stored row; whenever a write's outcome is unknown the view is marked stale and re-read before its next use.
/// </summary>
internal sealed class CountShard(string rowKey)
{
    public string RowKey { get; } = rowKey;
    public long Users { get; set; }
    public long Groups { get; set; }

    /// <summary>The stored row's ETag; null when the row does not exist (the next write adds it).</summary>
    public Azure.ETag? ETag { get; set; }

    /// <summary>The values above may not be the stored ones: read the row before writing it.</summary>
    public bool Stale { get; set; }
}
