using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// Lists of one kind's resources (see <see cref="ResourceQuery"/>), by one of three strategies:
/// <list type="bullet">
/// <item>an indexable equality: the lookups of <see cref="ResourceReader"/>, then filtered and paged in memory;</item>
/// <item>cursor paging: a range read after the cursor's key, until the page and one look-ahead match are read,
/// so its cost does not grow with depth;</item>
/// <item>index paging: without a predicate, 1 range read from the <see cref="ListPositions"/> landmark before the
/// page (at most <see cref="ListPositions.Stride"/> − 1 rows more than it holds), plus a key-only scan when this
/// instance holds no fresh positions; with a predicate, every document is read and evaluated.</item>
/// </list>
/// </summary>
internal sealed class ResourceLister(TableClient table, ResourceEntityMapper mapper, ResourceReader reader, ListPositionsCache positions)
{
    private ResourceKind Kind => mapper.Kind;

    /// <exception cref="InvalidCursorException"></exception>
    public async Task<ResourcePage> ListAsync(string directoryId, ResourceQuery query, CancellationToken cancellationToken)
    {
        var count = Math.Max(0, query.Count);
        string? afterId = null;
        if (query.Cursor is { Length: > 0 } cursor)
        {
            afterId = ListCursor.Decode(cursor, directoryId, Kind) ?? throw new InvalidCursorException();
        }
        bool Matches(StoredResource resource) =>
            query.Equalities.All(e => EqualityHolds(resource.Document, e)) && (query.Predicate?.Invoke(resource.Document) ?? true);

        var candidates = await IndexedCandidatesAsync(directoryId, query.Equalities, cancellationToken);
        if (candidates is not null)
        {
            var matching = candidates.Where(Matches).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
            if (query.Cursor is null) return new ResourcePage(Slice(matching, query.StartIndex, count), matching.Count, null);
            var rest = matching.Where(r => afterId is null || string.CompareOrdinal(r.Id, afterId) > 0).ToAsyncEnumerable();
            return CursorPage(directoryId, await LookAheadPage.TakeAsync(rest, count));
        }
        if (query.Cursor is not null)
        {
            // Without a predicate every row matches, so asking for the page and its look-ahead is exactly enough.
            int? rowsPerRead = query.Predicate is null && query.Equalities.Count == 0 ? LookAheadPage.RowsToRead(count) : null;
            var page = await LookAheadPage.TakeAsync(reader.ScanAsync(directoryId, null, afterId, rowsPerRead, cancellationToken), count, Matches);
            return CursorPage(directoryId, page);
        }
        var startIndex = Math.Max(1, query.StartIndex);
        if (query.Predicate is null && query.Equalities.Count == 0)
        {
            return await IndexPageAsync(directoryId, startIndex, count, cancellationToken);
        }
        var matches = new List<StoredResource>();
        var totalMatches = 0;
        await foreach (var resource in reader.ScanAsync(directoryId, null, null, null, cancellationToken))
        {
            if (!Matches(resource)) continue;
            totalMatches++;
            if (totalMatches >= startIndex && matches.Count < count) matches.Add(resource);
        }
        return new ResourcePage(matches, totalMatches, null);
    }

    private ResourcePage CursorPage(string directoryId, (List<StoredResource> Items, bool More) page) =>
        new(page.Items, null, page.More && page.Items.Count > 0 ? ListCursor.Encode(directoryId, Kind, page.Items[^1].Id) : null);

    /// <summary>The cached total and landmarks locate the page; then one range read from the landmark before it.</summary>
    private async Task<ResourcePage> IndexPageAsync(string directoryId, int startIndex, int count, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var known = await positions.GetAsync(partition, Kind, cancellationToken);
        var resources = new List<StoredResource>();
        if (startIndex <= known.Total && count > 0)
        {
            var (landmark, skip) = known.LandmarkBefore(startIndex);
            var filter = KeyRange.Between(partition, landmark, PartitionLayout.PrefixEnd(Kind.DocumentPrefix));
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, Math.Min(1000, skip + count), cancellationToken: cancellationToken))
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                resources.Add(mapper.ToStored(entity));
                if (resources.Count == count) break;
            }
        }
        return new ResourcePage(resources, known.Total, null);
    }

    private async Task<List<StoredResource>?> IndexedCandidatesAsync(string directoryId, IReadOnlyList<IndexedEquality> equalities, CancellationToken cancellationToken)
    {
        if (equalities.FirstOrDefault(e => Is(e, "id")) is { } byId)
        {
            return await reader.GetAsync(directoryId, byId.Value, cancellationToken) is { } found ? [found] : [];
        }
        if (equalities.FirstOrDefault(e => Is(e, Kind.UniqueAttribute)) is { } byName)
        {
            return await reader.FindByUniqueNameAsync(directoryId, byName.Value, cancellationToken) is { } found ? [found] : [];
        }
        if (equalities.FirstOrDefault(e => Is(e, "externalId")) is { } byExternalId)
        {
            return [.. await reader.FindByExternalIdAsync(directoryId, byExternalId.Value, cancellationToken)];
        }
        return null;
    }

    private static bool Is(IndexedEquality equality, string attribute) =>
        string.Equals(equality.Attribute, attribute, StringComparison.OrdinalIgnoreCase);

    private static bool EqualityHolds(JsonObject document, IndexedEquality equality)
    {
        var caseExact = Is(equality, "id") || Is(equality, "externalId");
        return ResourceKind.StringOf(document, equality.Attribute) is { } actual &&
            string.Equals(actual, equality.Value, caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    private static List<StoredResource> Slice(List<StoredResource> all, int startIndex, int count) =>
        all.Skip(Math.Max(1, startIndex) - 1).Take(count).ToList();
}
