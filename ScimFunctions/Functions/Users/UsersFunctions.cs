using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Users;

/// <summary>
/// <c>{base}/Users</c> (RFC 7644 §3). Each function authenticates through <see cref="ScimEndpoint"/> and hands
/// the request to its use case. <c>Users/.search</c> is a literal segment, so routing prefers it to
/// <c>Users/{id}</c>; it is POST only, which no <c>Users/{id}</c> function accepts.
/// </summary>
public sealed class UsersFunctions(
    ScimEndpoint endpoint,
    ResourceReads reads,
    CreateUserCommand create,
    ReplaceUserCommand replace,
    PatchUserCommand patch,
    DeleteUserCommand delete)
{
    private const string Users = ScimRoutes.ScimBase + "/Users";
    private static readonly ScimResourceType Type = ScimResourceType.User;

    [Function("ListUsers")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Users)] HttpRequest request,
        string directoryId, CancellationToken cancellationToken) =>
        reads.ListAsync(request, directoryId, Type, cancellationToken);

    [Function("SearchUsers")]
    public Task<IActionResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Users + "/.search")] HttpRequest request,
        string directoryId, CancellationToken cancellationToken) =>
        reads.SearchAsync(request, directoryId, Type, cancellationToken);

    [Function("CreateUser")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Users)] HttpRequest request,
        string directoryId, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var user = await create.ExecuteAsync(scope, body, ScimRequests.Selection(request), cancellationToken);
            return ScimResponses.Resource(user, StatusCodes.Status201Created);
        }, cancellationToken);

    [Function("GetUser")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Users + "/{id}")] HttpRequest request,
        string directoryId, string id, CancellationToken cancellationToken) =>
        reads.GetAsync(request, directoryId, id, Type, cancellationToken);

    [Function("ReplaceUser")]
    public Task<IActionResult> Replace(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Users + "/{id}")] HttpRequest request,
        string directoryId, string id, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var user = await replace.ExecuteAsync(scope, id, body, ScimRequests.IfMatch(request), ScimRequests.Selection(request), cancellationToken);
            return ScimResponses.Resource(user);
        }, cancellationToken);

    [Function("PatchUser")]
    public Task<IActionResult> Patch(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = Users + "/{id}")] HttpRequest request,
        string directoryId, string id, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ScimRequests.ReadBodyAsync(request, cancellationToken);
            var user = await patch.ExecuteAsync(scope, id, body, ScimRequests.IfMatch(request), ScimRequests.Selection(request),
                returnBody: !ScimRequests.WantsMinimalResponse(request), cancellationToken);
            return ScimResponses.Resource(user);
        }, cancellationToken);

    [Function("DeleteUser")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Users + "/{id}")] HttpRequest request,
        string directoryId, string id, CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            await delete.ExecuteAsync(scope, id, ScimRequests.IfMatch(request), cancellationToken);
            return ScimResponses.NoContent();
        }, cancellationToken);
}
