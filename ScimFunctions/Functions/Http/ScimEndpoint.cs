using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Activity;
using ScimFunctions.Provisioning;
using ScimFunctions.Storage;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// What every SCIM resource function does around its use case, in one place: authenticate the bearer token
/// for the directory in the URL, make sure the table exists, build the request's scope (directory and base
/// URL), and answer every failure through <see cref="HttpEdge"/> with the RFC 7644 §3.12 error body. A client
/// presenting bad tokens over and over is slowed with 429 (<see cref="AuthFailureLimiter"/>).
/// </summary>
public sealed class ScimEndpoint(ScimRequestAuthenticator authenticator, AuthFailureLimiter limiter, ScimStore store, ScimBaseUrls baseUrls, HttpEdge edge, WebhookPrompter webhooks)
{
    public Task<IActionResult> RunAsync(HttpRequest request, string directoryId, Func<ScimScope, Task<ScimResult>> handle, CancellationToken cancellationToken) =>
        edge.RunAsync(request, ErrorSurface.Scim, async () =>
        {
            var authentication = await authenticator.AuthenticateAsync(request.Headers.Authorization, directoryId, cancellationToken);
            ActivityCapture.Authenticated(request, authentication);
            if (!authentication.Succeeded) return Refuse(request, directoryId, authentication.Failure.Value);
            await store.EnsureTableAsync();
            var result = await handle(new ScimScope(directoryId, baseUrls.For(request, directoryId)));
            // A write may have committed change rows: prompt webhook delivery (in memory; no request waits on it).
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) webhooks.Changed(directoryId);
            return result;
        });

    /// <summary>401/403/503 as the failure says, or 429 once this client's bad tokens for the directory pass the limit.</summary>
    private IActionResult Refuse(HttpRequest request, string directoryId, ScimAuthFailure failure) =>
        AuthFailureLimiter.IsBadToken(failure) && limiter.RecordFailure(directoryId, ClientAddress(request)) is { } wait
            ? edge.Throttled(ErrorSurface.Scim, wait)
            : edge.Refused(ErrorSurface.Scim, failure);

    /// <summary>The caller's address as the host saw it (in Azure, the front end's X-Forwarded-For, applied by
    /// the worker's forwarded-headers middleware), never a header the client chose.</summary>
    private static string ClientAddress(HttpRequest request) =>
        request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
