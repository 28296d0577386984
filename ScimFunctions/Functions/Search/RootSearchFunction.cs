using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Provisioning.Search;

namespace ScimFunctions.Functions.Search;

/// <summary><c>POST {base}/.search</c> (RFC 7644 §3.4.3): a SearchRequest over Users and Groups together.</summary>
public sealed class RootSearchFunction(ScimEndpoint endpoint, RootSearchQuery search)
{
    [Function("SearchAllResources")]
    public Task<IActionResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ScimRoutes.ScimBase + "/.search")] HttpRequest request,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = ScimRequests.ListFromSearchBody(await ScimRequests.ReadBodyAsync(request, cancellationToken));
            return new ScimResult(StatusCodes.Status200OK, await search.ExecuteAsync(scope, body, cancellationToken));
        }, cancellationToken);
}
