using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Http;

/// <summary>The reads /Users and /Groups share: list, search and get by id.</summary>
public sealed class ResourceReads(ScimEndpoint endpoint, ListResourcesQuery list, GetResourceQuery get)
{
    public Task<IActionResult> ListAsync(HttpRequest request, string directoryId, ScimResourceType type, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
            new ScimResult(StatusCodes.Status200OK, await list.ExecuteAsync(scope, type, ScimRequests.ListFromQuery(request), cancellationToken)),
            cancellationToken);

    public Task<IActionResult> SearchAsync(HttpRequest request, string directoryId, ScimResourceType type, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var search = ScimRequests.ListFromSearchBody(await ScimRequests.ReadBodyAsync(request, cancellationToken));
            return new ScimResult(StatusCodes.Status200OK, await list.ExecuteAsync(scope, type, search, cancellationToken));
        }, cancellationToken);

    public Task<IActionResult> GetAsync(HttpRequest request, string directoryId, string id, ScimResourceType type, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var resource = await get.ExecuteAsync(scope, type, id, ScimRequests.Selection(request), ScimRequests.IfNoneMatch(request), cancellationToken);
            return resource.Body is null ? ScimResponses.NotModified(resource) : ScimResponses.Resource(resource);
        }, cancellationToken);
}
