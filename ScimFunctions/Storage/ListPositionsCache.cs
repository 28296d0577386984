using Azure.Data.Tables;
using ScimFunctions.Caching;

namespace ScimFunctions.Storage;

/// <summary>
/// <see cref="ListPositions"/> per directory and kind, built by one key-only scan (1 read per 1,000 resources)
/// and kept in memory for <see cref="ScimStorageOptions.ListPositionsLifetime"/>; concurrent requests share one
/// scan. A create or delete on this instance drops the entry, so this instance's own writes show at once; writes
/// on other instances show within the lifetime. RFC 7644 §3.4.2.4 leaves index paging over a changing set
/// without a consistency guarantee, and a scan per request would make every page cost the whole directory.
/// </summary>
internal sealed class ListPositionsCache(TableClient table, ScimStorageOptions options, TimeProvider time)
{
    private readonly CollapsingCache<(string Partition, string Kind), ListPositions> _cache =
        new(time, _ => options.ListPositionsLifetime, options.ListPositionsCapacity);

    public Task<ListPositions> GetAsync(string partition, ResourceKind kind, CancellationToken cancellationToken) =>
        options.ListPositionsLifetime <= TimeSpan.Zero
            ? ScanAsync(partition, kind, cancellationToken)
            : _cache.GetAsync((partition, kind.ResourceType), key => ScanAsync(key.Partition, kind, CancellationToken.None), cancellationToken);

    /// <summary>Called after a create or delete of this kind has committed.</summary>
    public void Invalidate(string partition, ResourceKind kind) => _cache.Invalidate((partition, kind.ResourceType));

    private async Task<ListPositions> ScanAsync(string partition, ResourceKind kind, CancellationToken cancellationToken)
    {
        var total = 0;
        var landmarks = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            KeyRange.Under(partition, kind.DocumentPrefix), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (total % ListPositions.Stride == 0) landmarks.Add(row.RowKey);
            total++;
        }
        return new ListPositions(total, landmarks);
    }
}
