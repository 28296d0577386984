using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Storage;
using StoreEquality = ScimFunctions.Storage.IndexedEquality;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>GET /Users</c>, <c>GET /Groups</c> and their <c>.search</c> forms. <c>id</c>, <c>userName</c>,
/// <c>externalId</c> and group <c>displayName</c> equalities are point reads through index rows; any other
/// filter is a scan of the directory's partition evaluated by the protocol core. At most
/// <see cref="ScimLimits.MaxPageSize"/> resources a page. Results come in id order (stable), or sorted by
/// <c>sortBy</c>, which needs every match in memory and so reads them all.
/// <para>
/// A Group's <c>members</c> are in list responses unless excluded (RFC 7643 marks them <c>returned: default</c>):
/// 1 range read per group and per 1,000 members, 8 groups at a time, within a member budget per page
/// (<see cref="GroupPageMembers"/>). <c>excludedAttributes=members</c> reads no member row. A User's
/// <c>groups</c> are too (<c>returned: default</c>), within a group budget per page (<see cref="UserPageGroups"/>):
/// an unfiltered page in id order reads them all in 1 range read per 1,000 membership rows, any other page 1 read
/// per user, 8 users at a time. <c>excludedAttributes=groups</c>, or <c>attributes</c> not naming it, reads no
/// membership row.
/// </para>
/// </summary>
public sealed class ListResourcesQuery(IDirectoryResources store, ResourceRenderer renderer, ListPageOptions? options = null)
{
    private readonly int _memberBudget = Math.Max(1, (options ?? new ListPageOptions()).MaxMembersPerPage);
    private readonly int _groupBudget = Math.Max(1, (options ?? new ListPageOptions()).MaxGroupsPerPage);

    /// <summary>The page in memory (use-case tests).</summary>
    public async Task<JsonObject> ExecuteAsync(ScimScope scope, ScimResourceType type, ListRequest request, CancellationToken cancellationToken)
    {
        await using var page = await ExecuteStreamingAsync(scope, type, request, cancellationToken);
        return await page.ToJsonAsync();
    }

    /// <summary>The page, shaped and read up to its member (groups) or group (users) budget; a large first
    /// group's remaining members stream as the response is written.</summary>
    public async Task<ListResponse> ExecuteStreamingAsync(ScimScope scope, ScimResourceType type, ListRequest request, CancellationToken cancellationToken)
    {
        ListParameters.Checked(request);
        var count = Math.Min(ScimLimits.MaxPageSize, Math.Max(0, request.Count ?? ScimLimits.DefaultPageSize));
        var startIndex = Math.Max(1, request.StartIndex ?? 1);
        var sortBy = string.IsNullOrWhiteSpace(request.SortBy) ? null : request.SortBy.Trim();
        var descending = ResourceSorter.IsDescending(request.SortOrder);

        var query = Query(type, request) with { StartIndex = startIndex, Count = count, Cursor = request.Cursor };
        var resourceStore = type.StoreIn(store);
        ResourcePage page;
        if (sortBy is not null)
        {
            var all = await resourceStore.ListAsync(scope.DirectoryId, query with { StartIndex = 1, Count = int.MaxValue }, cancellationToken);
            var keys = SortKeys.For(sortBy, type.Schema);
            var sorted = ResourceSorter.Order(all.Resources.Select(r => (Item: r, Key: keys.Of(r.Document))), keys.Comparer, descending);
            page = new ResourcePage(sorted.Skip(startIndex - 1).Take(count).Select(k => k.Item).ToList(), all.Resources.Count, null);
        }
        else
        {
            page = await resourceStore.ListAsync(scope.DirectoryId, query, cancellationToken);
        }

        // Unfiltered and in id order, a page holds every resource between its first and last.
        var holdsItsWholeSpan = sortBy is null && string.IsNullOrWhiteSpace(request.Filter);
        var rendered = await RenderAsync(scope, type, page.Resources, request.Selection, holdsItsWholeSpan, cancellationToken);
        var nextCursor = page.NextCursor;
        var endedByBudget = rendered.Count < page.Resources.Count;
        if (request.Cursor is not null && endedByBudget)
        {
            // The budget ended the page early: the next page starts after the last resource on this one.
            nextCursor = ListCursor.Encode(scope.DirectoryId, type.Kind, rendered[^1].Id);
        }
        // In cursor paging the total is not counted (that would scan the directory), so it is left out.
        return new ListResponse(page.TotalResults, request.Cursor is null ? startIndex : null, nextCursor, rendered) { EndedByBudget = endedByBudget };
    }

    /// <summary>Every resource of the type the request's filter matches, in id order (a search that sorts across
    /// types reads them all, as a sorted typed list does).</summary>
    public async Task<IReadOnlyList<StoredResource>> AllMatchesAsync(ScimScope scope, ScimResourceType type, ListRequest request, CancellationToken cancellationToken)
    {
        ListParameters.Checked(request);
        var page = await type.StoreIn(store).ListAsync(scope.DirectoryId, Query(type, request) with { StartIndex = 1, Count = int.MaxValue }, cancellationToken);
        return page.Resources;
    }

    /// <summary>Resources picked by the caller, rendered as a list page renders them (within the page budgets,
    /// so fewer may come back: a prefix of <paramref name="resources"/>).</summary>
    public Task<IReadOnlyList<RenderedResource>> RenderPickedAsync(ScimScope scope, ScimResourceType type, IReadOnlyList<StoredResource> resources, AttributeSelection selection, CancellationToken cancellationToken)
        => RenderAsync(scope, type, resources, selection, holdsItsWholeSpan: false, cancellationToken);

    private static ResourceQuery Query(ScimResourceType type, ListRequest request)
    {
        var query = new ResourceQuery();
        if (string.IsNullOrWhiteSpace(request.Filter)) return query;
        var filter = ScimFilter.Parse(request.Filter, type.Schema);
        RejectMembershipFilter(filter.Root, type);
        IReadOnlyList<StoreEquality> equalities = IndexableFilter.TryExtract(filter, out var match)
            ? match.Equalities.Select(e => new StoreEquality(e.Attribute, e.Value)).ToList()
            : [];
        return query with { Equalities = equalities, Predicate = filter.Matches };
    }

    /// <summary>
    /// Groups carry <c>members</c> and users <c>groups</c> unless the selection leaves them out
    /// (<c>returned: default</c>), within the page's budget of them.
    /// </summary>
    private async Task<IReadOnlyList<RenderedResource>> RenderAsync(ScimScope scope, ScimResourceType type, IReadOnlyList<StoredResource> resources, AttributeSelection selection, bool holdsItsWholeSpan, CancellationToken cancellationToken)
    {
        if (!selection.Returns(type.MembershipAttribute, type))
        {
            return resources.Select(resource => ResourceRenderer.Render(scope, type, resource, null, selection)).ToList();
        }
        return type == ScimResourceType.Group
            ? await GroupPageMembers.RenderAsync(renderer, scope, resources, selection, _memberBudget, cancellationToken)
            : await UserPageGroups.RenderAsync(store.Memberships, scope, resources, selection, holdsItsWholeSpan, _groupBudget, cancellationToken);
    }

    /// <summary>The membership attribute is not in stored documents, so a filter on it would silently match
    /// nothing; it is refused instead.</summary>
    private static void RejectMembershipFilter(FilterNode node, ScimResourceType type)
    {
        switch (node)
        {
            case ComparisonNode comparison when Names(comparison.Path, type):
            case ValuePathNode valuePath when Names(valuePath.Path, type):
                throw ScimException.BadRequest(ScimErrorType.InvalidFilter, $"Filtering on \"{type.MembershipAttribute}\" is not supported.");
            case NotNode not:
                RejectMembershipFilter(not.Operand, type);
                break;
            case AndNode and:
                foreach (var operand in and.Operands) RejectMembershipFilter(operand, type);
                break;
            case OrNode or:
                foreach (var operand in or.Operands) RejectMembershipFilter(operand, type);
                break;
        }
    }

    private static bool Names(AttributePath path, ScimResourceType type) =>
        path.Name.Equals(type.MembershipAttribute, StringComparison.OrdinalIgnoreCase)
        && (path.SchemaUrn is null || type.Schema.IsCoreUrn(path.SchemaUrn));
}
