using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// Reads of one kind's documents. Round trips: <see cref="GetAsync"/> 1 point read (none for an id this
/// service never issued); <see cref="FindByUniqueNameAsync"/> 2; <see cref="FindByExternalIdAsync"/> 1 range
/// read plus 1 point read per match; <see cref="ScanAsync"/> 1 read per 1,000 resources.
/// </summary>
internal sealed class ResourceReader(TableClient table, ResourceEntityMapper mapper)
{
    private ResourceKind Kind => mapper.Kind;

    public async Task<StoredResource?> GetAsync(string directoryId, string id, CancellationToken cancellationToken)
    {
        var entity = await ReadDocumentEntityAsync(PartitionLayout.Partition(directoryId), id, null, cancellationToken);
        return entity is null ? null : mapper.ToStored(entity);
    }

    /// <summary>The resource whose unique attribute equals <paramref name="name"/> case-insensitively.</summary>
    public async Task<StoredResource?> FindByUniqueNameAsync(string directoryId, string name, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(
            partition, Kind.UniqueNameKey(name), [ResourceEntityMapper.IdProperty], cancellationToken);
        if (!index.HasValue || index.Value!.GetString(ResourceEntityMapper.IdProperty) is not { } id) return null;
        var entity = await ReadDocumentEntityAsync(partition, id, null, cancellationToken);
        return entity is null ? null : mapper.ToStored(entity);
    }

    /// <summary>Resources with this externalId (case-exact; not unique).</summary>
    public async Task<IReadOnlyList<StoredResource>> FindByExternalIdAsync(string directoryId, string externalId, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var found = new List<StoredResource>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            KeyRange.Under(partition, Kind.ExternalIdRangeStart(externalId)), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            var entity = await ReadDocumentEntityAsync(partition, PartitionLayout.LastSegment(row.RowKey), null, cancellationToken);
            if (entity is not null) found.Add(mapper.ToStored(entity));
        }
        return found;
    }

    /// <summary>Every resource of the directory in id order, optionally filtered, from <paramref name="afterId"/> on.</summary>
    public async IAsyncEnumerable<StoredResource> ScanAsync(string directoryId, Func<JsonObject, bool>? predicate, string? afterId, int? rowsPerRead, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = KeyRange.UnderAfter(PartitionLayout.Partition(directoryId), Kind.DocumentPrefix, afterId);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, rowsPerRead, cancellationToken: cancellationToken))
        {
            var resource = mapper.ToStored(entity);
            if (predicate is null || predicate(resource.Document)) yield return resource;
        }
    }

    /// <summary>The document entity, or null; an id this service never issued costs no round trip.</summary>
    public async Task<TableEntity?> ReadDocumentEntityAsync(string partition, string id, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        if (!PartitionLayout.IsServerId(id)) return null;
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, Kind.DocumentKey(id), select, cancellationToken);
        return response.HasValue ? response.Value : null;
    }
}
