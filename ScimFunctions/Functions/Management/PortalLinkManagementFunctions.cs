using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Portal;
using ScimFunctions.Portal;

namespace ScimFunctions.Functions.Management;

/// <summary>Portal links, minted with the function key: a directory's (for its admin) and the operator's (every
/// directory). The answer's <c>url</c> is shown once; only its hash is kept.</summary>
public sealed class PortalLinkManagementFunctions(DirectoryService directories, PortalService portal, PortalLinkRequests links, HttpEdge edge)
{
    /// <summary><c>{"lifetimeHours": 1..720 (168), "scopes": ["setup","tokens","roles","users","activity"] (all)}</c>.</summary>
    [Function("ManageCreatePortalLink")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.PortalLinks)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            return directory is null ? ManagementJson.NotFound("directory") : await links.MintAsync(req, directory.Id, cancellationToken);
        });

    [Function("ManageListPortalLinks")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.PortalLinks)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            if (directory is null) return ManagementJson.NotFound("directory");
            var list = (await portal.ListAsync(directory.Id, cancellationToken)).Select(link => (JsonNode?)PortalLinkRequests.Link(link)).ToArray();
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["links"] = new JsonArray(list) }).WithHeader("Cache-Control", "no-store");
        });

    /// <summary>Revokes the link and ends every session redeemed from it.</summary>
    [Function("ManageRevokePortalLink")]
    public Task<IActionResult> Revoke(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ManagementRoutes.PortalLink)] HttpRequest req,
        string directoryId,
        string linkId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            if (directory is null) return ManagementJson.NotFound("directory");
            return await portal.RevokeAsync(directory.Id, linkId, cancellationToken)
                ? new PlainJsonResult(StatusCodes.Status204NoContent)
                : ManagementJson.NotFound("portal link");
        });

    /// <summary><c>{"scopes": ["operator"], "lifetimeHours"?}</c>: a link to the portal of every directory.</summary>
    [Function("ManageCreateOperatorPortalLink")]
    public Task<IActionResult> CreateOperator(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.OperatorPortalLinks)] HttpRequest req,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () => await links.MintAsync(req, null, cancellationToken));
}
