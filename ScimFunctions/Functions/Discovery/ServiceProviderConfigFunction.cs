using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Discovery;

/// <summary>
/// <c>GET {base}/ServiceProviderConfig</c> (RFC 7643 §5). The discovery endpoints (this one, /Schemas and
/// /ResourceTypes) need no token: RFC 7644 §4 leaves that to the provider, they hold no directory data and are
/// the same for every directory, so IdPs can read them while an admin is still setting up.
/// </summary>
public sealed class ServiceProviderConfigFunction(ScimBaseUrls baseUrls, HttpEdge edge)
{
    [Function("ServiceProviderConfig")]
    public IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ScimRoutes.ScimBase + "/ServiceProviderConfig")] HttpRequest request,
        string directoryId) =>
        edge.Run(request, ErrorSurface.Scim, () =>
            new ScimResult(StatusCodes.Status200OK, ServiceProviderConfigDocument.Create(baseUrls.For(request, Uri.EscapeDataString(directoryId)))));
}
