using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Users;

/// <summary>
/// <c>{base}/Users</c> (RFC 7644 §3): each function hands its request to <see cref="ResourceRequests"/> with its
/// use case. <c>Users/.search</c> is a literal segment, which routing prefers to <c>Users/{id}</c>, and it is
/// POST only, which no <c>Users/{id}</c> function accepts, so neither shadows the other.
/// </summary>
public sealed class UsersFunctions(ResourceRequests requests, CreateUserCommand create, ReplaceUserCommand replace, PatchUserCommand patch, DeleteUserCommand delete)
{
    private const string Route = ScimRoutes.ScimBase + "/Users";

    [Function("ListUsers")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request, string directoryId, CancellationToken cancellationToken) =>
        requests.ListAsync(request, directoryId, ScimResourceType.User, cancellationToken);

    [Function("SearchUsers")]
    public Task<IActionResult> Search([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/.search")] HttpRequest request, string directoryId, CancellationToken cancellationToken) =>
        requests.SearchAsync(request, directoryId, ScimResourceType.User, cancellationToken);

    [Function("CreateUser")]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route)] HttpRequest request, string directoryId, CancellationToken cancellationToken) =>
        requests.CreateAsync(request, directoryId, create.ExecuteAsync, cancellationToken);

    [Function("GetUser")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/{id}")] HttpRequest request, string directoryId, string id, CancellationToken cancellationToken) =>
        requests.GetAsync(request, directoryId, id, ScimResourceType.User, cancellationToken);

    [Function("ReplaceUser")]
    public Task<IActionResult> Replace([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Route + "/{id}")] HttpRequest request, string directoryId, string id, CancellationToken cancellationToken) =>
        requests.ReplaceAsync(request, directoryId, id, replace.ExecuteAsync, cancellationToken);

    [Function("PatchUser")]
    public Task<IActionResult> Patch([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = Route + "/{id}")] HttpRequest request, string directoryId, string id, CancellationToken cancellationToken) =>
        requests.PatchAsync(request, directoryId, id, patch.ExecuteAsync, bodyByDefault: true, cancellationToken);

    [Function("DeleteUser")]
    public Task<IActionResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Route + "/{id}")] HttpRequest request, string directoryId, string id, CancellationToken cancellationToken) =>
        requests.DeleteAsync(request, directoryId, id, delete.ExecuteAsync, cancellationToken);
}
