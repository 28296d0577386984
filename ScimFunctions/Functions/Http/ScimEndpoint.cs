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
/// URL), and answer every failure through <see cref="HttpEdge"/> with the RFC 7644 §3.12 error body.
/// </summary>
public sealed class ScimEndpoint(ScimRequestAuthenticator authenticator, ScimStore store, ScimBaseUrls baseUrls, HttpEdge edge, WebhookPrompter webhooks)
{
    public Task<IActionResult> RunAsync(HttpRequest request, string directoryId, Func<ScimScope, Task<ScimResult>> handle, CancellationToken cancellationToken) =>
        edge.RunAsync(request, ErrorSurface.Scim, async () =>
        {
            var authentication = await authenticator.AuthenticateAsync(request.Headers.Authorization, directoryId, cancellationToken);
            ActivityCapture.Authenticated(request, authentication);
            if (!authentication.Succeeded) return edge.Refused(ErrorSurface.Scim, authentication.Failure.Value);
            await store.EnsureTableAsync();
            var result = await handle(new ScimScope(directoryId, baseUrls.For(request, directoryId)));
            // A write may have committed change rows: prompt webhook delivery (in memory; no request waits on it).
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) webhooks.Changed(directoryId);
            return result;
        });
}
