using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Scim;

namespace ScimFunctions.Storage;

/// <summary>
/// Users or groups of every directory, in one table. Round trips per call (R = read, T = write transaction):
/// <list type="bullet">
/// <item><see cref="CreateAsync"/>: 1 T (document + unique-name index + externalId index + change-log row, all or nothing).</item>
/// <item><see cref="GetAsync"/>: 1 R. <see cref="FindByUniqueNameAsync"/>: 2 R. <see cref="FindByExternalIdAsync"/>: 1 R + 1 R per match.</item>
/// <item><see cref="UpdateAsync"/> / <see cref="ReplaceAsync"/>: 1 R + 1 T (index rows moved in the same T), plus
/// a display refresh of the membership rows when the display changed (see <see cref="MembershipStore"/>).</item>
/// <item><see cref="DeleteAsync"/>: 1 R + 1 T, then the membership cleanup (see <see cref="MembershipStore"/>).</item>
/// </list>
/// Documents never hold the membership attribute (<c>members</c>, <c>groups</c>): memberships live in rows.
/// Every write adds its <see cref="ChangeLog"/> row in its own transaction. A user's <c>active</c> is also kept
/// as the entity property <c>Active</c>, so role recomputation reads one property, not the document; a change of
/// <c>active</c> writes the user's <c>outbox|{id}</c> row in the same transaction (inactive users hold no roles).
/// </summary>
public sealed class ResourceStore
{
    internal const string NameProperty = "Name";
    internal const string ExternalIdProperty = "ExternalId";
    internal const string DisplayProperty = "Display";
    internal const string CreatedProperty = "Created";
    internal const string LastModifiedProperty = "LastModified";
    internal const string IdProperty = "Id";
    public const string ActiveProperty = "Active";

    private readonly TableClient _table;
    private readonly ScimStorageOptions _options;
    private readonly MembershipStore _memberships;
    private readonly ListPositionsCache _positions;

    internal ResourceStore(TableClient table, ResourceKind kind, ScimStorageOptions options, MembershipStore memberships, ListPositionsCache positions)
    {
        _table = table;
        Kind = kind;
        _options = options;
        _memberships = memberships;
        _positions = positions;
    }

    public ResourceKind Kind { get; }

    /// <summary>Stores a new resource under a fresh server id. The unique attribute must be a non-empty string.</summary>
    /// <exception cref="UniquenessConflictException">the unique attribute is taken (also when two creates race: one wins)</exception>
    /// <exception cref="DocumentTooLargeException">the document exceeds <see cref="DocumentCodec.MaxDocumentBytes"/></exception>
    /// <exception cref="InvalidStoreValueException">the unique attribute is missing, or externalId is not a string</exception>
    public async Task<StoredResource> CreateAsync(string directoryId, JsonObject resource, CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var id = PartitionLayout.NewId();
        var prepared = Prepare(resource, id);
        var now = DateTimeOffset.UtcNow;
        var document = DocumentEntity(partition, id, prepared, now, now);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, document),
            new(TableTransactionActionType.Add, UniqueNameEntity(partition, prepared.Name, id)),
        };
        if (prepared.ExternalId is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, Kind.ExternalIdKey(prepared.ExternalId, id))));
        }
        actions.Add(ChangeLog.Add(ChangeLog.Entry(partition, Kind.ResourceType, ChangeLog.Created, id, now)));
        try
        {
            var response = await _table.SubmitTransactionAsync(actions, cancellationToken);
            _positions.Invalidate(partition, Kind);
            return ToStored(prepared.Document, response.Value[0].Headers.ETag ?? default, now, now);
        }
        catch (TableTransactionFailedException failure) when (failure.IsStatus(409, actionIndex: 1))
        {
            throw new UniquenessConflictException(Kind.UniqueAttribute, prepared.Name);
        }
    }

    /// <summary>One point read. Null when there is no such resource in this directory.</summary>
    public async Task<StoredResource?> GetAsync(string directoryId, string id, CancellationToken cancellationToken = default)
    {
        var entity = await ReadDocumentEntityAsync(PartitionLayout.Partition(directoryId), id, null, cancellationToken);
        return entity is null ? null : ToStored(entity);
    }

    /// <summary>The resource whose unique attribute equals <paramref name="name"/> case-insensitively: 2 point reads.</summary>
    public async Task<StoredResource?> FindByUniqueNameAsync(string directoryId, string name, CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var index = await _table.GetEntityIfExistsAsync<TableEntity>(
            partition, Kind.UniqueNameKey(name), [IdProperty], cancellationToken);
        if (!index.HasValue || index.Value!.GetString(IdProperty) is not { } id) return null;
        var entity = await ReadDocumentEntityAsync(partition, id, null, cancellationToken);
        return entity is null ? null : ToStored(entity);
    }

    /// <summary>Resources with this externalId (case-exact; not unique): one index range read plus a point read per match.</summary>
    public async Task<IReadOnlyList<StoredResource>> FindByExternalIdAsync(string directoryId, string externalId, CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var start = Kind.ExternalIdRangeStart(externalId);
        var found = new List<StoredResource>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            RangeFilter(partition, start, PartitionLayout.PrefixEnd(start)), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            var entity = await ReadDocumentEntityAsync(partition, PartitionLayout.LastSegment(row.RowKey), null, cancellationToken);
            if (entity is not null) found.Add(ToStored(entity));
        }
        return found;
    }

    /// <summary>Replaces the whole document (PUT): attributes left out are gone; id, meta and the membership
    /// attribute of <paramref name="resource"/> are ignored.</summary>
    public Task<StoredResource> ReplaceAsync(string directoryId, string id, JsonObject resource, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(directoryId, id, _ => resource, ifMatch, cancellationToken);

    /// <summary>
    /// Read-modify-write with optimistic concurrency: <paramref name="apply"/> gets the current document (a copy,
    /// with id and meta) and returns the new one. The write is guarded by the ETag that was read; when another
    /// write got in between, the update is retried from a fresh read if the caller gave no
    /// <paramref name="ifMatch"/>, or fails with <see cref="VersionMismatchException"/> if it did. Index rows
    /// move in the same transaction as the document. <paramref name="apply"/> may run more than once.
    /// </summary>
    /// <exception cref="ResourceNotFoundException"></exception>
    /// <exception cref="VersionMismatchException"></exception>
    /// <exception cref="UniquenessConflictException"></exception>
    /// <exception cref="DocumentTooLargeException"></exception>
    /// <exception cref="InvalidStoreValueException"></exception>
    public async Task<StoredResource> UpdateAsync(string directoryId, string id, Func<JsonObject, JsonObject> apply, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var strictVersion = ifMatch is not null && ifMatch.Trim() != "*";
        for (var attempt = 1; ; attempt++)
        {
            var entity = await ReadDocumentEntityAsync(partition, id, null, cancellationToken)
                ?? throw new ResourceNotFoundException(Kind.ResourceType, id);
            if (ifMatch is not null && !ResourceVersion.Matches(ifMatch, entity.ETag))
            {
                throw new VersionMismatchException(Kind.ResourceType, id);
            }
            var current = ToStored(entity);
            var prepared = Prepare(apply(current.Document.DeepClone().AsObject()), id);
            var oldName = entity.GetString(NameProperty)!;
            var oldExternalId = entity.GetString(ExternalIdProperty);
            var oldDisplay = entity.GetString(DisplayProperty);
            var now = DateTimeOffset.UtcNow;
            var document = DocumentEntity(partition, id, prepared, current.Created, now);
            document.ETag = entity.ETag;
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, document, entity.ETag) };
            int? newNameIndex = null;
            if (Kind.UniqueNameKey(oldName) != Kind.UniqueNameKey(prepared.Name))
            {
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, Kind.UniqueNameKey(oldName)), ETag.All));
                newNameIndex = actions.Count;
                actions.Add(new(TableTransactionActionType.Add, UniqueNameEntity(partition, prepared.Name, id)));
            }
            if (oldExternalId != prepared.ExternalId)
            {
                if (oldExternalId is not null)
                {
                    actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, Kind.ExternalIdKey(oldExternalId, id)), ETag.All));
                }
                if (prepared.ExternalId is not null)
                {
                    actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, Kind.ExternalIdKey(prepared.ExternalId, id))));
                }
            }
            var displayChanged = !string.Equals(oldDisplay, prepared.Display, StringComparison.Ordinal);
            if (displayChanged && Kind == ResourceKind.Group)
            {
                // Role mappings may name groups by displayName: every member's roles are due, recorded with the rename.
                actions.Add(OutboxRules.GroupRenamed(partition, id, now));
            }
            if (Kind == ResourceKind.User && UserActivity.IsActive(current.Document) != UserActivity.IsActive(prepared.Document))
            {
                // Deactivation withdraws every role and reactivation restores them: recorded with the change itself.
                actions.Add(OutboxRules.UserActiveChanged(partition, id, now));
            }
            actions.Add(ChangeLog.Add(ChangeLog.Entry(partition, Kind.ResourceType, ChangeLog.Updated, id, now)));
            try
            {
                var response = await _table.SubmitTransactionAsync(actions, cancellationToken);
                var stored = ToStored(prepared.Document, response.Value[0].Headers.ETag ?? default, current.Created, now);
                if (displayChanged) await _memberships.RefreshDisplayAsync(directoryId, Kind, id, prepared.Display, cancellationToken);
                return stored;
            }
            catch (TableTransactionFailedException failure) when (failure.IsStatus(412, actionIndex: 0))
            {
                if (strictVersion || attempt >= _options.MaxConcurrencyRetries) throw new VersionMismatchException(Kind.ResourceType, id);
            }
            catch (TableTransactionFailedException failure) when (failure.IsStatus(404, actionIndex: 0))
            {
                throw new ResourceNotFoundException(Kind.ResourceType, id);
            }
            catch (TableTransactionFailedException failure) when (newNameIndex is not null && failure.IsStatus(409, newNameIndex))
            {
                throw new UniquenessConflictException(Kind.UniqueAttribute, prepared.Name);
            }
        }
    }

    /// <summary>
    /// Deletes the resource, its index rows and all its memberships (both directions). Plan: one transaction
    /// removes the document and its index rows and leaves a <c>deleting|</c> marker (for a user, also its
    /// outbox row, so its roles are withdrawn); from then on the resource is gone for every reader and the name
    /// is free. Then the memberships are removed in pairs (<see cref="MembershipStore"/>), and the marker last.
    /// If a later step fails, calling delete again (or <see cref="ResumePendingDeletesAsync"/>) finishes the job.
    /// </summary>
    /// <exception cref="ResourceNotFoundException"></exception>
    /// <exception cref="VersionMismatchException"></exception>
    public async Task DeleteAsync(string directoryId, string id, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var strictVersion = ifMatch is not null && ifMatch.Trim() != "*";
        for (var attempt = 1; ; attempt++)
        {
            var entity = await ReadDocumentEntityAsync(partition, id, [NameProperty, ExternalIdProperty], cancellationToken);
            if (entity is null)
            {
                var marker = PartitionLayout.IsServerId(id)
                    ? await _table.GetEntityIfExistsAsync<TableEntity>(partition, Kind.DeletingKey(id), ["RowKey"], cancellationToken)
                    : null;
                if (marker is not { HasValue: true }) throw new ResourceNotFoundException(Kind.ResourceType, id);
                await FinishDeleteAsync(directoryId, id, cancellationToken);
                return;
            }
            if (ifMatch is not null && !ResourceVersion.Matches(ifMatch, entity.ETag))
            {
                throw new VersionMismatchException(Kind.ResourceType, id);
            }
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Delete, new TableEntity(partition, Kind.DocumentKey(id)), entity.ETag),
                new(TableTransactionActionType.Delete, new TableEntity(partition, Kind.UniqueNameKey(entity.GetString(NameProperty)!)), ETag.All),
                new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, Kind.DeletingKey(id))),
            };
            if (entity.GetString(ExternalIdProperty) is { } externalId)
            {
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, Kind.ExternalIdKey(externalId, id)), ETag.All));
            }
            if (Kind == ResourceKind.User)
            {
                actions.Add(OutboxRules.UserDeleted(partition, id, DateTimeOffset.UtcNow));
            }
            actions.Add(ChangeLog.Add(ChangeLog.Entry(partition, Kind.ResourceType, ChangeLog.Deleted, id, DateTimeOffset.UtcNow)));
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
                _positions.Invalidate(partition, Kind);
            }
            catch (TableTransactionFailedException failure) when (failure.IsStatus(412, actionIndex: 0) || failure.IsStatus(404, actionIndex: 0))
            {
                if (strictVersion || attempt >= _options.MaxConcurrencyRetries) throw new VersionMismatchException(Kind.ResourceType, id);
                continue;
            }
            await FinishDeleteAsync(directoryId, id, cancellationToken);
            return;
        }
    }

    /// <summary>Finishes deletes whose membership cleanup was interrupted (for a periodic sweep). Returns how many.</summary>
    public async Task<int> ResumePendingDeletesAsync(string directoryId, CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
        var prefix = Kind.DeletingKey("");
        var ids = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            RangeFilter(partition, prefix, PartitionLayout.PrefixEnd(prefix)), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(PartitionLayout.LastSegment(row.RowKey));
        }
        foreach (var id in ids) await FinishDeleteAsync(directoryId, id, cancellationToken);
        return ids.Count;
    }

    private async Task FinishDeleteAsync(string directoryId, string id, CancellationToken cancellationToken)
    {
        await _memberships.RemoveAllMembershipsOfDeletedAsync(directoryId, Kind, id, cancellationToken);
        try
        {
            await _table.DeleteEntityAsync(PartitionLayout.Partition(directoryId), Kind.DeletingKey(id), ETag.All, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            // Another caller finished the same delete.
        }
    }

    /// <summary>
    /// Lists resources (see <see cref="ResourceQuery"/>). Cost: with an indexable equality, the lookups of
    /// <see cref="GetAsync"/> / <see cref="FindByUniqueNameAsync"/> / <see cref="FindByExternalIdAsync"/>.
    /// Otherwise a scan of the kind's key range: index paging without a predicate is 1 R for the page (at most
    /// <see cref="ListPositions.Stride"/> − 1 rows more than it holds), plus, when this instance holds no fresh
    /// <see cref="ListPositions"/> for the directory, a key-only scan (1 R per 1,000 resources); with a
    /// predicate every document is read and evaluated. Cursor paging starts after the cursor's key and reads only until the page
    /// (plus one look-ahead match) is full, so its cost does not grow with depth.
    /// </summary>
    /// <exception cref="InvalidCursorException"></exception>
    public async Task<ResourcePage> ListAsync(string directoryId, ResourceQuery query, CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
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
            var rest = matching.Where(r => afterId is null || string.CompareOrdinal(r.Id, afterId) > 0).ToList();
            var page = rest.Take(count).ToList();
            return new ResourcePage(page, null, rest.Count > count && page.Count > 0 ? ListCursor.Encode(directoryId, Kind, page[^1].Id) : null);
        }

        var rangeEnd = PartitionLayout.PrefixEnd(Kind.DocumentPrefix);
        if (query.Cursor is not null)
        {
            var page = new List<StoredResource>();
            string? nextCursor = null;
            if (count == 0) return new ResourcePage(page, null, null);
            var filter = afterId is null
                ? RangeFilter(partition, Kind.DocumentPrefix, rangeEnd)
                : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {Kind.DocumentKey(afterId)} and RowKey lt {rangeEnd}");
            // Without a predicate every row matches, so asking for count + 1 rows is exactly enough.
            int? pageSize = query.Predicate is null && query.Equalities.Count == 0 ? Math.Min(1000, count + 1) : null;
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken))
            {
                var resource = ToStored(entity);
                if (!Matches(resource)) continue;
                if (page.Count == count)
                {
                    nextCursor = ListCursor.Encode(directoryId, Kind, page[^1].Id);
                    break;
                }
                page.Add(resource);
            }
            return new ResourcePage(page, null, nextCursor);
        }

        var startIndex = Math.Max(1, query.StartIndex);
        if (query.Predicate is null && query.Equalities.Count == 0)
        {
            // The cached total and landmarks locate the page; then one range read from the landmark before it.
            var positions = await _positions.GetAsync(partition, Kind, cancellationToken);
            var resources = new List<StoredResource>();
            if (startIndex <= positions.Total && count > 0)
            {
                var (landmark, skip) = positions.LandmarkBefore(startIndex);
                var pageFilter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {landmark} and RowKey lt {rangeEnd}");
                await foreach (var entity in _table.QueryAsync<TableEntity>(pageFilter, Math.Min(1000, skip + count), cancellationToken: cancellationToken))
                {
                    if (skip > 0)
                    {
                        skip--;
                        continue;
                    }
                    resources.Add(ToStored(entity));
                    if (resources.Count == count) break;
                }
            }
            return new ResourcePage(resources, positions.Total, null);
        }

        var matches = new List<StoredResource>();
        var totalMatches = 0;
        await foreach (var resource in ScanAsync(directoryId, null, cancellationToken))
        {
            if (!Matches(resource)) continue;
            totalMatches++;
            if (totalMatches >= startIndex && matches.Count < count) matches.Add(resource);
        }
        return new ResourcePage(matches, totalMatches, null);
    }

    /// <summary>Every resource of the directory in id order, optionally filtered: one read per 1,000 resources.</summary>
    public async IAsyncEnumerable<StoredResource> ScanAsync(string directoryId, Func<JsonObject, bool>? predicate = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var partition = PartitionLayout.Partition(directoryId);
        await foreach (var entity in _table.QueryAsync<TableEntity>(
            RangeFilter(partition, Kind.DocumentPrefix, PartitionLayout.PrefixEnd(Kind.DocumentPrefix)), cancellationToken: cancellationToken))
        {
            var resource = ToStored(entity);
            if (predicate is null || predicate(resource.Document)) yield return resource;
        }
    }

    private async Task<List<StoredResource>?> IndexedCandidatesAsync(string directoryId, IReadOnlyList<IndexedEquality> equalities, CancellationToken cancellationToken)
    {
        if (equalities.FirstOrDefault(e => Is(e, "id")) is { } byId)
        {
            return await GetAsync(directoryId, byId.Value, cancellationToken) is { } found ? [found] : [];
        }
        if (equalities.FirstOrDefault(e => Is(e, Kind.UniqueAttribute)) is { } byName)
        {
            return await FindByUniqueNameAsync(directoryId, byName.Value, cancellationToken) is { } found ? [found] : [];
        }
        if (equalities.FirstOrDefault(e => Is(e, "externalId")) is { } byExternalId)
        {
            return [.. await FindByExternalIdAsync(directoryId, byExternalId.Value, cancellationToken)];
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

    internal static string RangeFilter(string partition, string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");

    private async Task<TableEntity?> ReadDocumentEntityAsync(string partition, string id, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        if (!PartitionLayout.IsServerId(id)) return null; // not an id this service issued: no round trip
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Kind.DocumentKey(id), select, cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private sealed record PreparedDocument(JsonObject Document, string Name, string? ExternalId, string? Display, byte[] Utf8);

    private PreparedDocument Prepare(JsonObject resource, string id)
    {
        var document = new JsonObject();
        foreach (var (name, node) in resource)
        {
            if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(name, "meta", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(name, Kind.MembershipAttribute, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            document[name] = node?.DeepClone();
        }
        document.Insert(0, "id", id);
        var uniqueName = ResourceKind.StringOf(document, Kind.UniqueAttribute);
        if (string.IsNullOrWhiteSpace(uniqueName))
        {
            throw new InvalidStoreValueException($"{Kind.ResourceType} requires a non-empty string '{Kind.UniqueAttribute}'.");
        }
        string? externalId = null;
        switch (ResourceKind.Find(document, "externalId"))
        {
            case null:
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                externalId = text;
                break;
            default:
                throw new InvalidStoreValueException("'externalId' must be a string.");
        }
        return new PreparedDocument(document, uniqueName, externalId, Kind.DisplayOf(document), DocumentCodec.Serialize(document));
    }

    private TableEntity DocumentEntity(string partition, string id, PreparedDocument prepared, DateTimeOffset created, DateTimeOffset lastModified)
    {
        var entity = new TableEntity(partition, Kind.DocumentKey(id))
        {
            [NameProperty] = prepared.Name,
            [ExternalIdProperty] = prepared.ExternalId,
            [DisplayProperty] = prepared.Display,
            [CreatedProperty] = created,
            [LastModifiedProperty] = lastModified,
        };
        if (Kind == ResourceKind.User) entity[ActiveProperty] = UserActivity.IsActive(prepared.Document);
        DocumentCodec.Write(entity, prepared.Utf8);
        return entity;
    }

    private TableEntity UniqueNameEntity(string partition, string name, string id) =>
        new(partition, Kind.UniqueNameKey(name)) { [IdProperty] = id };

    private StoredResource ToStored(TableEntity entity) =>
        ToStored(DocumentCodec.Read(entity), entity.ETag,
            entity.GetDateTimeOffset(CreatedProperty) ?? default,
            entity.GetDateTimeOffset(LastModifiedProperty) ?? default);

    private StoredResource ToStored(JsonObject document, ETag etag, DateTimeOffset created, DateTimeOffset lastModified)
    {
        var version = ResourceVersion.FromETag(etag);
        var id = ResourceKind.StringOf(document, "id")!;
        document["meta"] = new JsonObject
        {
            ["resourceType"] = Kind.ResourceType,
            ["created"] = FormatTime(created),
            ["lastModified"] = FormatTime(lastModified),
            ["version"] = version,
        };
        return new StoredResource(id, document, version, created, lastModified);
    }

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
