using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Discovery;

/// <summary>
/// Every request under a SCIM base that no other function takes: a SCIM error (RFC 7644 §3.12), never an
/// empty body — 404 for a path nothing serves, 405 with <c>Allow</c> for a known path and another method.
/// Routing prefers every literal route over this catch-all, in the Functions host and in the local host.
/// </summary>
public sealed class UnknownScimPathFunction(HttpEdge edge)
{
    private static readonly ScimRouteTable Routes = ScimRouteTable.FromFunctions();

    [Function("ScimUnknownPath")]
    public IActionResult Answer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = ScimRoutes.ScimBase + "/{*path}")] HttpRequest request,
        string directoryId,
        string? path) =>
        edge.Run(request, ErrorSurface.Scim, () =>
        {
            var relative = path ?? "";
            var methods = Routes.MethodsFor(relative);
            if (methods.Count == 0)
            {
                throw ScimException.NotFound($"Nothing is served at '/{relative.Trim('/')}' under this SCIM base; its endpoints are /Users, /Groups, /.search, /Bulk, /ServiceProviderConfig, /Schemas and /ResourceTypes.");
            }
            request.HttpContext.Response.Headers.Allow = string.Join(", ", methods);
            throw ScimException.MethodNotAllowed($"'/{relative.Trim('/')}' does not take {request.Method}; it takes {string.Join(", ", methods)}.");
        });
}
