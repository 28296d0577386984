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
            ScimResponses.List(await list.ExecuteStreamingAsync(scope, type, ScimRequests.ListFromQuery(request), cancellationToken)),
            cancellationToken);

    public Task<IActionResult> SearchAsync(HttpRequest request, string directoryId, ScimResourceType type, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var search = ScimRequests.ListFromSearchBody(await ScimRequests.ReadBodyAsync(request, cancellationToken));
            return ScimResponses.List(await list.ExecuteStreamingAsync(scope, type, search, cancellationToken));
        }, cancellationToken);

    public Task<IActionResult> GetAsync(HttpRequest request, string directoryId, string id, ScimResourceType type, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var resource = await get.ExecuteStreamingAsync(scope, type, id, ScimRequests.Selection(request), ScimRequests.IfNoneMatch(request), cancellationToken);
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

    /// <summary>
    /// RFC 7644 §3.5.2: 200 with the entire resource (subject to <c>attributes</c>/<c>excludedAttributes</c>), or
    /// 204 with the new ETag. The client chooses with <c>Prefer: return=minimal</c> / <c>return=representation</c>
    /// or by selecting attributes; otherwise <paramref name="bodyByDefault"/> decides (a group answers 204, so a
    /// membership change never reads the member list).
    /// </summary>
    public Task<IActionResult> PatchAsync(HttpRequest request, string directoryId, string id, Patch patch, bool bodyByDefault, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var selection = ScimRequests.Selection(request);
            var returnBody = ScimRequests.WantsMinimalResponse(request) ? false
                : ScimRequests.WantsRepresentation(request) || ScimRequests.SelectsAttributes(request) || bodyByDefault;
            var patched = await patch(scope, id, body, ScimRequests.IfMatch(request), selection, returnBody, cancellationToken);
            return ScimResponses.Resource(patched);
        }, cancellationToken);

    public Task<IActionResult> DeleteAsync(HttpRequest request, string directoryId, string id, Delete delete, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            await delete(scope, id, ScimRequests.IfMatch(request), cancellationToken);
            return ScimResponses.NoContent();
        }, cancellationToken);
}
