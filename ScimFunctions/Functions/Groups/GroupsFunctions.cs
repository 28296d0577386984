using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Groups;

/// <summary>
/// <c>{base}/Groups</c> (RFC 7644 §3). Each function authenticates through <see cref="ScimEndpoint"/> and hands
/// the request to its use case. <c>Groups/.search</c> is a literal segment, so routing prefers it to
/// <c>Groups/{id}</c>; it is POST only, which no <c>Groups/{id}</c> function accepts.
/// </summary>
public sealed class GroupsFunctions(
    ScimEndpoint endpoint,
    ResourceReads reads,
    CreateGroupCommand create,
    ReplaceGroupCommand replace,
    PatchGroupCommand patch,
    DeleteGroupCommand delete)
{
    private const string Groups = ScimRoutes.ScimBase + "/Groups";
    private static readonly ScimResourceType Type = ScimResourceType.Group;

    [Function("ListGroups")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Groups)] HttpRequest request,
        string directoryId, CancellationToken cancellationToken) =>
        reads.ListAsync(request, directoryId, Type, cancellationToken);

    [Function("SearchGroups")]
    public Task<IActionResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Groups + "/.search")] HttpRequest request,
        string directoryId, CancellationToken cancellationToken) =>
        reads.SearchAsync(request, directoryId, Type, cancellationToken);

    [Function("CreateGroup")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Groups)] HttpRequest request,
        string directoryId, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var group = await create.ExecuteAsync(scope, body, ScimRequests.Selection(request), cancellationToken);
            return ScimResponses.Resource(group, StatusCodes.Status201Created);
        }, cancellationToken);

    [Function("GetGroup")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Groups + "/{id}")] HttpRequest request,
        string directoryId, string id, CancellationToken cancellationToken) =>
        reads.GetAsync(request, directoryId, id, Type, cancellationToken);

    [Function("ReplaceGroup")]
    public Task<IActionResult> Replace(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Groups + "/{id}")] HttpRequest request,
        string directoryId, string id, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var group = await replace.ExecuteAsync(scope, id, body, ScimRequests.IfMatch(request), ScimRequests.Selection(request), cancellationToken);
            return ScimResponses.Resource(group);
        }, cancellationToken);

    [Function("PatchGroup")]
    public Task<IActionResult> Patch(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = Groups + "/{id}")] HttpRequest request,
        string directoryId, string id, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var group = await patch.ExecuteAsync(scope, id, body, ScimRequests.IfMatch(request), ScimRequests.Selection(request),
                returnBody: !ScimRequests.WantsMinimalResponse(request), cancellationToken);
            return ScimResponses.Resource(group);
        }, cancellationToken);

    [Function("DeleteGroup")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Groups + "/{id}")] HttpRequest request,
        string directoryId, string id, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            await delete.ExecuteAsync(scope, id, ScimRequests.IfMatch(request), cancellationToken);
            return ScimResponses.NoContent();
        }, cancellationToken);
}
