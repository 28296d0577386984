using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;

namespace ScimFunctions.Functions.Portal;

/// <summary>
/// The portal's page and its files: <c>/portal</c> and <c>/portal/</c> are <c>index.html</c> (a single-page app
/// with hash routes), other paths the embedded file of that name, anything else a plain 404. An unknown
/// <c>/portal/api/…</c> GET is answered in the API's JSON shape.
/// </summary>
public sealed class PortalStaticFunction(PortalFiles files, PortalEndpoint endpoint)
{
    [Function("PortalFiles")]
    public Task<IActionResult> Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Files)] HttpRequest req)
    {
        // From the path itself rather than a {*path} binding: an empty catch-all binds differently across hosts.
        var path = FilePath(req);
        return endpoint.RunAsync(req, api: IsApi(path), () =>
        {
            if (IsApi(path)) return Task.FromResult<IActionResult>(PortalEndpoint.NotFound("There is no such portal API route."));
            var file = files.Find(path);
            IActionResult answer = file is null
                ? new PlainTextResult(StatusCodes.Status404NotFound, "Not found.")
                : file.Answer(req.Headers.IfNoneMatch.ToString() is { Length: > 0 } tag ? tag : null);
            return Task.FromResult(answer);
        });
    }

    /// <summary>The path under <c>/portal/</c>, without a leading slash; empty for <c>/portal</c> and <c>/portal/</c>.</summary>
    private static string FilePath(HttpRequest request)
    {
        var full = request.Path.Value ?? "";
        var root = "/" + PortalRoutes.Root;
        return full.StartsWith(root, StringComparison.OrdinalIgnoreCase) ? full[root.Length..].TrimStart('/') : "";
    }

    private static bool IsApi(string path) =>
        (path == "api" || path.StartsWith("api/", StringComparison.OrdinalIgnoreCase));
}
