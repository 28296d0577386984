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
/// The membership attribute (a User's <c>groups</c>, a Group's <c>members</c>) is in list responses only when
/// the client names it in <c>attributes</c>: otherwise every resource on the page would cost a read of its
/// membership rows, and a page of large groups would read every member of each.
/// </para>
/// </summary>
public sealed class ListResourcesQuery(IDirectoryResources store, ResourceRenderer renderer)
{
    private const int ParallelMembershipReads = 8;

    public async Task<JsonObject> ExecuteAsync(ScimScope scope, ScimResourceType type, ListRequest request, CancellationToken cancellationToken)
    {
        var count = Math.Min(ScimLimits.MaxPageSize, Math.Max(0, request.Count ?? ScimLimits.DefaultPageSize));
        var startIndex = Math.Max(1, request.StartIndex ?? 1);
        var sortBy = string.IsNullOrWhiteSpace(request.SortBy) ? null : request.SortBy.Trim();
        var descending = ResourceSorter.IsDescending(request.SortOrder);
        if (request.Cursor is not null && request.StartIndex is not null)
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, "Use either cursor or startIndex paging, not both.");
        }
        if (request.Cursor is not null && sortBy is not null)
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, "sortBy cannot be combined with cursor paging; results come in a stable server order.");
        }

        var query = new ResourceQuery { StartIndex = startIndex, Count = count, Cursor = request.Cursor };
        if (!string.IsNullOrWhiteSpace(request.Filter))
        {
            var filter = ScimFilter.Parse(request.Filter, type.Schema);
            RejectMembershipFilter(filter.Root, type);
            IReadOnlyList<StoreEquality> equalities = IndexableFilter.TryExtract(filter, out var match)
                ? match.Equalities.Select(e => new StoreEquality(e.Attribute, e.Value)).ToList()
                : [];
            query = query with { Equalities = equalities, Predicate = filter.Matches };
        }

        var resourceStore = type.StoreIn(store);
        ResourcePage page;
        if (sortBy is not null)
        {
            var all = await resourceStore.ListAsync(scope.DirectoryId, query with { StartIndex = 1, Count = int.MaxValue }, cancellationToken);
            var byDocument = all.Resources.ToDictionary<StoredResource, object>(r => r.Document, ReferenceEqualityComparer.Instance);
            var sorted = ResourceSorter.Sort(all.Resources.Select(r => r.Document), sortBy, descending ? "descending" : "ascending", type.Schema);
            page = new ResourcePage(sorted.Skip(startIndex - 1).Take(count).Select(d => byDocument[d]).ToList(), all.Resources.Count, null);
        }
        else
        {
            page = await resourceStore.ListAsync(scope.DirectoryId, query, cancellationToken);
        }

        var withMembership = request.Selection.AsksFor(type.MembershipAttribute, type);
        var rendered = new RenderedResource[page.Resources.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, page.Resources.Count),
            new ParallelOptions { MaxDegreeOfParallelism = withMembership ? ParallelMembershipReads : 1, CancellationToken = cancellationToken },
            async (index, token) => rendered[index] = await renderer.RenderAsync(scope, type, page.Resources[index], request.Selection, withMembership, token));

        var resources = new JsonArray();
        foreach (var resource in rendered) resources.Add(resource.Body);
        var response = new JsonObject { ["schemas"] = new JsonArray(ScimConstants.ListResponseSchema) };
        // In cursor paging the total is not counted (that would scan the directory), so it is left out.
        if (page.TotalResults is { } total) response["totalResults"] = total;
        if (request.Cursor is null) response["startIndex"] = startIndex;
        response["itemsPerPage"] = rendered.Length;
        if (page.NextCursor is not null) response["nextCursor"] = page.NextCursor;
        response["Resources"] = resources;
        return response;
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
