using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Portal;

namespace ScimFunctions.Functions.Portal;

/// <summary>
/// The portal session: redeemed from a link's secret by the page's "Continue" button (a POST, so link scanners
/// that only GET the URL consume nothing), read, and ended. The cookie holds the session secret; storage holds its hash.
/// </summary>
public sealed class PortalSessionFunctions(PortalService portal, PortalEndpoint endpoint)
{
    public const int MaxLinkLength = PortalCredential.MaxLength;

    /// <summary><c>{"link": "&lt;secret from the URL fragment&gt;"}</c> with <c>X-Portal-Request: 1</c>.</summary>
    [Function("PortalRedeemLink")]
    public Task<IActionResult> Redeem(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PortalRoutes.Session)] HttpRequest req,
        CancellationToken cancellationToken) =>
        endpoint.RunAsync(req, api: true, async () =>
        {
            if (PortalEndpoint.CsrfRefusal(req) is { } refusal) return refusal;
            var body = await PortalRequests.ReadBodyAsync(req, cancellationToken);
            var secret = PortalRequests.OptionalString(body, "link", MaxLinkLength * 2);
            var started = await portal.RedeemAsync(secret, cancellationToken);
            if (started is null)
            {
                return PortalEndpoint.Error(StatusCodes.Status401Unauthorized, "link_invalid",
                    "This portal link has expired, was revoked, or is not complete. Ask whoever sent it for a new one.");
            }
            return new PlainJsonResult(StatusCodes.Status200OK, Body(started.Session)).WithHeader("Set-Cookie", PortalCookie.Set(req, started.Secret));
        });

    [Function("PortalGetSession")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Session)] HttpRequest req,
        CancellationToken cancellationToken) =>
        endpoint.SessionAsync(req, session => Task.FromResult<IActionResult>(new PlainJsonResult(StatusCodes.Status200OK, Body(session))), cancellationToken);

    /// <summary>Ends the session (if any) and clears the cookie.</summary>
    [Function("PortalEndSession")]
    public Task<IActionResult> End(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = PortalRoutes.Session)] HttpRequest req,
        CancellationToken cancellationToken) =>
        endpoint.RunAsync(req, api: true, async () =>
        {
            if (PortalEndpoint.CsrfRefusal(req) is { } refusal) return refusal;
            await portal.EndAsync(PortalCookie.Read(req), cancellationToken);
            return new PlainJsonResult(StatusCodes.Status204NoContent).WithHeader("Set-Cookie", PortalCookie.Clear(req));
        });

    public static JsonObject Body(PortalSession session) => new()
    {
        ["operator"] = session.IsOperator,
        ["directoryId"] = session.DirectoryId,
        ["scopes"] = PortalLinkRequests.Strings(session.Scopes),
        ["expiresAt"] = ManagementJson.Timestamp(session.ExpiresAt),
    };
}
