using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Portal;

namespace ScimFunctions.Functions.Portal;

/// <summary>
/// What every portal route does around its work, in one place: answer failures through <see cref="HttpEdge"/> in
/// the portal's error shape, set the security headers (frame-ancestors from the directory's allowlist), require
/// <c>X-Portal-Request: 1</c> on every mutation (CSRF), authenticate the session cookie, and check that the
/// session covers the directory in the URL (else 404, so it cannot tell other directories exist) and the route's scope.
/// </summary>
public sealed class PortalEndpoint(HttpEdge edge, PortalService portal, DirectoryService directories, DirectoryStore store, AuthCaches caches)
{
    public const string CsrfHeader = "X-Portal-Request";

    /// <summary>Any <c>/portal</c> response: the work's answer (or its failure's) with the portal headers.</summary>
    public async Task<IActionResult> RunAsync(HttpRequest request, bool api, Func<Task<IActionResult>> work)
    {
        var result = await edge.RunAsync(request, ErrorSurface.Portal, work);
        var frameAncestors = await FrameAncestorsAsync(request);
        return new PortalResult(result, PortalHeaders.For(frameAncestors, api).ToList());
    }

    /// <summary>An API route open to mutations only with the CSRF header, and to nobody without a session.</summary>
    public Task<IActionResult> SessionAsync(HttpRequest request, Func<PortalSession, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunAsync(request, api: true, async () =>
        {
            if (CsrfRefusal(request) is { } refusal) return refusal;
            var session = await portal.AuthenticateAsync(PortalCookie.Read(request), cancellationToken);
            return session is null ? SessionRequired() : await work(session);
        });

    /// <summary>A directory route: the session must cover <paramref name="directoryId"/> and hold <paramref name="scope"/> (null: any).</summary>
    public Task<IActionResult> DirectoryAsync(
        HttpRequest request, string directoryId, string? scope, Func<PortalSession, ScimDirectory, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        SessionAsync(request, async session =>
        {
            if (!session.Covers(directoryId)) return NotFound("No such directory.");
            if (scope is not null && !session.Allows(scope))
            {
                return Error(StatusCodes.Status403Forbidden, "scope", $"This portal link does not include '{scope}'. Ask for a link that does.");
            }
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            return directory is null ? NotFound("No such directory.") : await work(session, directory);
        }, cancellationToken);

    /// <summary>An operator route: only sessions of an operator link.</summary>
    public Task<IActionResult> OperatorAsync(HttpRequest request, Func<PortalSession, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        SessionAsync(request, session => session.IsOperator
            ? work(session)
            : Task.FromResult<IActionResult>(Error(StatusCodes.Status403Forbidden, "scope", "Only an operator link opens this.")), cancellationToken);

    public static PlainJsonResult? CsrfRefusal(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.Headers[CsrfHeader] == "1"
            ? null
            : Error(StatusCodes.Status403Forbidden, "csrf", $"This request must come from the portal page (header {CsrfHeader}: 1). Reload the page and try again.");

    public static PlainJsonResult SessionRequired() =>
        Error(StatusCodes.Status401Unauthorized, "session_required", "Your portal session has ended. Open your portal link again.");

    public static PlainJsonResult NotFound(string message) => Error(StatusCodes.Status404NotFound, "not_found", message);

    public static PlainJsonResult Invalid(string message) => Error(StatusCodes.Status400BadRequest, "invalid", message);

    public static PlainJsonResult Error(int status, string code, string message) => ErrorResponses.Portal(status, code, message);

    /// <summary>The allowlist of the directory named by the session cookie (or, before there is one, by <c>?d=</c>);
    /// <c>'none'</c> when there is none or it cannot be read. Served from the directory cache, so usually no read.</summary>
    private async Task<string> FrameAncestorsAsync(HttpRequest request)
    {
        var directoryId = PortalCredential.TryParse(PortalCookie.Read(request), out var credential) ? credential.DirectoryId : null;
        if (directoryId is null && credential is null && request.Query["d"].ToString() is { Length: > 0 } named) directoryId = named;
        if (!ScimDirectory.IsValidId(directoryId)) return PortalHeaders.NoFrames;
        try
        {
            var directory = await caches.Directories.GetAsync(directoryId!, id => store.GetAsync(id, CancellationToken.None), request.HttpContext.RequestAborted);
            return directory is { State: not DirectoryState.Deleting, PortalFrameAncestors.Count: > 0 }
                ? string.Join(' ', directory.PortalFrameAncestors)
                : PortalHeaders.NoFrames;
        }
        catch (Exception exception) when (ErrorMapper.IsTransient(exception))
        {
            return PortalHeaders.NoFrames;
        }
    }
}
