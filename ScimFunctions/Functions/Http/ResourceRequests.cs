using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// The HTTP side of every /Users and /Groups verb, shared by both resource types: read what the request
/// carries (body, preconditions, attribute selection, preferences), call the use case inside
/// <see cref="ScimEndpoint"/>, and shape the response.
/// </summary>
public sealed class ResourceRequests(ScimEndpoint endpoint, ListResourcesQuery list, GetResourceQuery get)
{
    public delegate Task<RenderedResource> Create(ScimScope scope, JsonObject body, AttributeSelection selection, CancellationToken cancellationToken);
    public delegate Task<RenderedResource> Replace(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, CancellationToken cancellationToken);
    public delegate Task<RenderedResource> Patch(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, bool returnBody, CancellationToken cancellationToken);
    public delegate Task Delete(ScimScope scope, string id, string? ifMatch, CancellationToken cancellationToken);

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

    public Task<IActionResult> CreateAsync(HttpRequest request, string directoryId, Create create, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var created = await create(scope, body, ScimRequests.Selection(request), cancellationToken);
            return ScimResponses.Resource(created, StatusCodes.Status201Created);
        }, cancellationToken);

    public Task<IActionResult> ReplaceAsync(HttpRequest request, string directoryId, string id, Replace replace, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            return ScimResponses.Resource(await replace(scope, id, body, ScimRequests.IfMatch(request), ScimRequests.Selection(request), cancellationToken));
        }, cancellationToken);

    /// <summary>200 with the resource, or 204 (with the new ETag) when the request says <c>Prefer: return=minimal</c>.</summary>
    public Task<IActionResult> PatchAsync(HttpRequest request, string directoryId, string id, Patch patch, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var patched = await patch(scope, id, body, ScimRequests.IfMatch(request), ScimRequests.Selection(request),
                returnBody: !ScimRequests.WantsMinimalResponse(request), cancellationToken);
            return ScimResponses.Resource(patched);
        }, cancellationToken);

    public Task<IActionResult> DeleteAsync(HttpRequest request, string directoryId, string id, Delete delete, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            await delete(scope, id, ScimRequests.IfMatch(request), cancellationToken);
            return ScimResponses.NoContent();
        }, cancellationToken);
}
