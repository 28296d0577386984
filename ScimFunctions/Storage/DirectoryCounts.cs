using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// A directory's user and group counts, for the management API and the portal: the sum of the count shards
/// the create and delete transactions keep (<see cref="CountShards"/>), read with one range query, never by
/// scanning resources. Exact as of the last committed write.
/// </summary>
public sealed class DirectoryCounts(ScimDataTable data)
{
    /// <summary>1 range read over the directory's count shards (one row per instance slot that wrote).</summary>
    public async Task<ResourceCounts> ReadAsync(string directoryId, CancellationToken cancellationToken = default)
    {
        var table = await data.GetAsync(cancellationToken);
        long users = 0, groups = 0;
        await foreach (var shard in table.QueryAsync<TableEntity>(
            KeyRange.Under(PartitionLayout.Partition(directoryId), PartitionLayout.CountPrefix),
            select: [CountShards.UsersProperty, CountShards.GroupsProperty], cancellationToken: cancellationToken))
        {
            users += shard.GetInt64(CountShards.UsersProperty) ?? 0;
            groups += shard.GetInt64(CountShards.GroupsProperty) ?? 0;
        }
        return new ResourceCounts(users, groups);
    }
}
