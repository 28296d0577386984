using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// Users by email, case-insensitively: 1 range read of the <c>userEmail|</c> index rows plus 1 point read per
/// match. A directory created since the index exists has every user indexed. In an older one, users stored before
/// the index have no rows: until its <c>emailIndex</c> marker (1 point read, at once) says none is left, the user
/// documents are also scanned, at most
/// <see cref="MaxScanReads"/> reads of 1,000 rows; when that does not reach the end the answer says it is
/// incomplete instead of reading on. A scan that reached the end and found no user without rows writes the
/// marker, so from then on a look-up is the index alone. A write of a user gives it its rows.
/// </summary>
internal sealed class EmailLookup(TableClient table, ResourceEntityMapper mapper, ResourceReader reader)
{
    public const int MaxScanReads = 2;
    private const int RowsPerRead = 1000;

    public async Task<EmailMatches> FindAsync(string directoryId, string email, bool indexedFromStart, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var indexed = IndexedIdsAsync(partition, PartitionLayout.FoldedEmail(email), cancellationToken);
        var marker = indexedFromStart ? null : table.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.EmailIndexComplete, ["RowKey"], cancellationToken);
        await Task.WhenAll(marker is null ? [indexed] : [indexed, marker]);
        var found = new SortedDictionary<string, StoredResource>(StringComparer.Ordinal);
        foreach (var id in await indexed)
        {
            if (await reader.ReadDocumentEntityAsync(partition, id, null, cancellationToken) is not { } entity) continue;
            var user = mapper.ToStored(entity);
            if (ResourceEntityMapper.HasEmail(user.Document, email)) found[id] = user;
        }
        if (marker is null || (await marker).HasValue) return new EmailMatches([.. found.Values], true);

        var unindexed = 0;
        var reads = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(KeyRange.Under(partition, ResourceKind.User.DocumentPrefix), RowsPerRead, cancellationToken: cancellationToken).AsPages())
        {
            reads++;
            foreach (var entity in page.Values)
            {
                if (entity.ContainsKey(ResourceEntityMapper.IndexedEmailsProperty)) continue;
                unindexed++;
                var user = mapper.ToStored(entity);
                if (ResourceEntityMapper.HasEmail(user.Document, email)) found[user.Id] = user;
            }
            if (page.ContinuationToken is not null && reads == MaxScanReads) return new EmailMatches([.. found.Values], false);
        }
        if (unindexed == 0) await table.UpsertEntityAsync(new TableEntity(partition, PartitionLayout.EmailIndexComplete), TableUpdateMode.Replace, cancellationToken);
        return new EmailMatches([.. found.Values], true);
    }

    private async Task<List<string>> IndexedIdsAsync(string partition, string foldedEmail, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            KeyRange.Under(partition, PartitionLayout.UserEmailRangeStart(foldedEmail)), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(PartitionLayout.LastSegment(row.RowKey));
        }
        return ids;
    }
}
