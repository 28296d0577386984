using System.Text.Json.Nodes;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning.Search;

/// <summary>
/// <c>POST {base}/.search</c> (RFC 7644 §3.4.3): Users and Groups in one list: unsorted, all matching users first,
/// then all matching groups. Each part is a page of <see cref="ListResourcesQuery"/> (the typed list's filter,
/// sorting, projection and paging, at the typed list's cost), so a root page costs at most one users page and one
/// groups page. With <c>sortBy</c> the two types are sorted together (see <see cref="SortedPageAsync"/>).
/// <c>totalResults</c> is the users' total plus the groups'.
/// Cursor paging continues the users' cursor, then the groups' from their first. A users part the group budget
/// ended early (see <see cref="UserPageGroups"/>) ends the page: no groups follow it.
/// </summary>
public sealed class RootSearchQuery(ListResourcesQuery list)
{
    /// <summary>Below every server id, so a groups cursor "after" it starts at the first group.</summary>
    private const string BeforeFirstId = "00000000000000000000000000000000";

    public async Task<JsonObject> ExecuteAsync(ScimScope scope, ListRequest request, CancellationToken cancellationToken)
    {
        var count = Math.Min(ScimLimits.MaxPageSize, Math.Max(0, request.Count ?? ScimLimits.DefaultPageSize));
        var paged = request with { Count = count };
        var root = string.IsNullOrWhiteSpace(request.Filter) ? null : ScimFilter.Parse(request.Filter).Root;
        var searchUsers = root is null || RootSearchFilter.CanMatch(root, ScimResourceType.User.Schema, ScimResourceType.Group.Schema);
        var searchGroups = root is null || RootSearchFilter.CanMatch(root, ScimResourceType.Group.Schema, ScimResourceType.User.Schema);
        if (!string.IsNullOrWhiteSpace(request.SortBy) && request.Cursor is null)
        {
            return await SortedPageAsync(scope, paged, count, searchUsers, searchGroups, cancellationToken);
        }
        return request.Cursor is null
            ? await IndexPageAsync(scope, paged, count, searchUsers, searchGroups, cancellationToken)
            : await CursorPageAsync(scope, paged, count, searchUsers, searchGroups, cancellationToken);
    }

    private async Task<JsonObject> IndexPageAsync(ScimScope scope, ListRequest request, int count, bool searchUsers, bool searchGroups, CancellationToken cancellationToken)
    {
        var startIndex = Math.Max(1, request.StartIndex ?? 1);
        var (users, usersEndedByBudget) = searchUsers ? await PageAsync(scope, ScimResourceType.User, request with { StartIndex = startIndex }, cancellationToken) : (null, false);
        var userTotal = Total(users);
        var found = Resources(users, ScimResourceType.User);
        // The groups part starts where the users end; a page already full still asks for the groups' total (count 0),
        // and so does one the users' group budget ended early: its next page (startIndex + itemsPerPage) is still users.
        var groups = searchGroups
            ? await list.ExecuteAsync(scope, ScimResourceType.Group, request with
            {
                StartIndex = Math.Max(1, startIndex - userTotal),
                Count = usersEndedByBudget ? 0 : count - found.Count,
            }, cancellationToken)
            : null;
        found.AddRange(Resources(groups, ScimResourceType.Group));
        var response = NewListResponse();
        response["totalResults"] = userTotal + Total(groups);
        response["startIndex"] = startIndex;
        return Complete(response, found);
    }

    /// <summary>
    /// Users and groups sorted together by <c>sortBy</c> (an attribute one type lacks sorts that type as missing:
    /// last ascending, first descending; ties keep users first). Like a sorted typed list it reads every match of
    /// both types, then renders only the page; a page the member or group budget cuts ends at the first resource
    /// left out, so <c>startIndex + itemsPerPage</c> continues it.
    /// </summary>
    private async Task<JsonObject> SortedPageAsync(ScimScope scope, ListRequest request, int count, bool searchUsers, bool searchGroups, CancellationToken cancellationToken)
    {
        var startIndex = Math.Max(1, request.StartIndex ?? 1);
        var users = searchUsers ? await list.AllMatchesAsync(scope, ScimResourceType.User, request, cancellationToken) : [];
        var groups = searchGroups ? await list.AllMatchesAsync(scope, ScimResourceType.Group, request, cancellationToken) : [];
        var userKeys = SortKeys.For(request.SortBy!, ScimResourceType.User.Schema);
        var groupKeys = SortKeys.For(request.SortBy!, ScimResourceType.Group.Schema);
        // Strings compare as the attribute says where it is defined (caseExact is per attribute, the same in both).
        var comparer = userKeys.Defined || !groupKeys.Defined ? userKeys.Comparer : groupKeys.Comparer;
        var keyed = users.Select(user => (Item: (Type: ScimResourceType.User, Resource: user), Key: userKeys.Of(user.Document)))
            .Concat(groups.Select(group => (Item: (Type: ScimResourceType.Group, Resource: group), Key: groupKeys.Of(group.Document))));
        var picked = ResourceSorter.Order(keyed, comparer, ResourceSorter.IsDescending(request.SortOrder))
            .Skip(startIndex - 1).Take(count).Select(k => k.Item).ToList();

        var rendered = new Dictionary<StoredResource, RenderedResource>(ReferenceEqualityComparer.Instance);
        var found = new List<JsonNode>(picked.Count);
        try
        {
            picked = await RenderedPrefixAsync(scope, ScimResourceType.User, picked, request.Selection, rendered, cancellationToken);
            picked = await RenderedPrefixAsync(scope, ScimResourceType.Group, picked, request.Selection, rendered, cancellationToken);
            foreach (var (type, resource) in picked)
            {
                var body = (await rendered[resource].MaterialisedAsync()).Body;
                if (body is not null) found.Add(Typed(body, type));
            }
        }
        finally
        {
            foreach (var resource in rendered.Values)
            {
                if (resource.Members is { } members) await members.DisposeAsync();
            }
        }
        var response = NewListResponse();
        response["totalResults"] = users.Count + groups.Count;
        response["startIndex"] = startIndex;
        return Complete(response, found);
    }

    /// <summary>Renders the picked resources of one type; if the page budget left some out, the page ends before
    /// the first of them.</summary>
    private async Task<List<(ScimResourceType Type, StoredResource Resource)>> RenderedPrefixAsync(
        ScimScope scope, ScimResourceType type, List<(ScimResourceType Type, StoredResource Resource)> picked,
        AttributeSelection selection, Dictionary<StoredResource, RenderedResource> rendered, CancellationToken cancellationToken)
    {
        var ofType = picked.Where(p => p.Type == type).Select(p => p.Resource).ToList();
        if (ofType.Count == 0) return picked;
        var renderedOfType = await list.RenderPickedAsync(scope, type, ofType, selection, cancellationToken);
        for (var i = 0; i < renderedOfType.Count; i++) rendered[ofType[i]] = renderedOfType[i];
        if (renderedOfType.Count == ofType.Count) return picked;
        var firstLeftOut = ofType[renderedOfType.Count];
        return picked.TakeWhile(p => !ReferenceEquals(p.Resource, firstLeftOut)).ToList();
    }

    private async Task<JsonObject> CursorPageAsync(ScimScope scope, ListRequest request, int count, bool searchUsers, bool searchGroups, CancellationToken cancellationToken)
    {
        if (request.StartIndex is not null)
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, "Use either cursor or startIndex paging, not both.");
        }
        var cursor = request.Cursor!;
        var inGroups = cursor.Length > 0 && ListCursor.Decode(cursor, scope.DirectoryId, ResourceKind.User) is null;
        if (inGroups && ListCursor.Decode(cursor, scope.DirectoryId, ResourceKind.Group) is null) throw new InvalidCursorException();

        var found = new List<JsonNode>();
        string? next = null;
        if (!inGroups && searchUsers)
        {
            var users = await list.ExecuteAsync(scope, ScimResourceType.User, request, cancellationToken);
            found.AddRange(Resources(users, ScimResourceType.User));
            next = NextCursor(users);
        }
        if (next is null && found.Count == count && count > 0 && searchGroups)
        {
            // The users filled the page exactly: the next page is the groups' first.
            next = ListCursor.Encode(scope.DirectoryId, ResourceKind.Group, BeforeFirstId);
        }
        else if (next is null && searchGroups)
        {
            var groups = await list.ExecuteAsync(scope, ScimResourceType.Group, request with
            {
                Cursor = inGroups ? cursor : "",
                Count = count - found.Count,
            }, cancellationToken);
            found.AddRange(Resources(groups, ScimResourceType.Group));
            next = NextCursor(groups);
        }
        return Complete(NewListResponse(), found, next);
    }

    private async Task<(JsonObject? Page, bool EndedByBudget)> PageAsync(ScimScope scope, ScimResourceType type, ListRequest request, CancellationToken cancellationToken)
    {
        await using var page = await list.ExecuteStreamingAsync(scope, type, request, cancellationToken);
        return (await page.ToJsonAsync(), page.EndedByBudget);
    }

    private static JsonObject NewListResponse() => new() { ["schemas"] = new JsonArray(ScimConstants.ListResponseSchema) };

    private static JsonObject Complete(JsonObject response, List<JsonNode> found, string? nextCursor = null)
    {
        response["itemsPerPage"] = found.Count;
        if (nextCursor is not null) response["nextCursor"] = nextCursor;
        response["Resources"] = new JsonArray([.. found]);
        return response;
    }

    private static int Total(JsonObject? page) => page?["totalResults"]?.GetValue<int>() ?? 0;

    private static string? NextCursor(JsonObject page) => page["nextCursor"]?.GetValue<string>();

    /// <summary>The page's resources, detached, each carrying its <c>schemas</c> and <c>meta.resourceType</c>
    /// whatever the attribute selection (a mixed list needs them to tell the types apart).</summary>
    private static List<JsonNode> Resources(JsonObject? page, ScimResourceType type)
    {
        if (page?["Resources"] is not JsonArray resources) return [];
        var items = resources.Where(item => item is not null).Select(item => item!).ToList();
        resources.Clear();
        foreach (var item in items.OfType<JsonObject>()) Typed(item, type);
        return items;
    }

    private static JsonObject Typed(JsonObject item, ScimResourceType type)
    {
        if (item["schemas"] is null) item["schemas"] = new JsonArray(type.Schema.Core.Id);
        if (item["meta"] is not JsonObject meta) item["meta"] = meta = new JsonObject();
        if (meta["resourceType"] is null) meta["resourceType"] = type.Schema.Name;
        return item;
    }
}
