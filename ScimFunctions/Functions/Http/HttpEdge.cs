using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ScimFunctions.Auth;
using ScimFunctions.Functions.Activity;
using ScimFunctions.Telemetry;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// Wraps every HTTP function: whatever the work throws is answered through <see cref="ErrorMapper"/> with an
/// error body, so no exception reaches the host (which would answer a bare 500). Requests under a SCIM base
/// are traced into the directory's request log (<see cref="ActivityCapture"/>, in memory only).
/// </summary>
public sealed class HttpEdge(ScimAuthOptions options, ILogger<HttpEdge> logger, ActivityCapture? activity = null)
{
    public async Task<IActionResult> RunAsync(HttpRequest request, ErrorSurface surface, Func<Task<IActionResult>> work)
    {
        var span = RequestSpan.Start(request);
        activity?.Begin(request);
        IActionResult result;
        try
        {
            result = await work();
        }
        catch (Exception exception)
        {
            result = Failed(request, surface, exception);
        }
        activity?.Complete(request, result);
        RequestSpan.Complete(span, result);
        return result;
    }

    public IActionResult Run(HttpRequest request, ErrorSurface surface, Func<IActionResult> work)
    {
        var span = RequestSpan.Start(request);
        activity?.Begin(request);
        IActionResult result;
        try
        {
            result = work();
        }
        catch (Exception exception)
        {
            result = Failed(request, surface, exception);
        }
        activity?.Complete(request, result);
        RequestSpan.Complete(span, result);
        return result;
    }

    /// <summary>The response to a failed authentication: 401 with the bearer challenge, 403, or 503.</summary>
    public JsonBodyResult Refused(ErrorSurface surface, ScimAuthFailure failure) =>
        ErrorResponses.For(surface, ErrorMapper.Map(failure), options.RetryAfter);

    /// <summary>The response to a client over its limit of bad tokens: 429, retry after <paramref name="wait"/>.</summary>
    public JsonBodyResult Throttled(ErrorSurface surface, TimeSpan wait) => ErrorResponses.For(surface, ErrorMapper.TooManyBadTokens, wait);

    private JsonBodyResult Failed(HttpRequest request, ErrorSurface surface, Exception exception)
    {
        var error = ErrorMapper.Map(exception);
        ActivityCapture.Failed(request, exception);
        // Exception messages and details may quote client values (user names), so only types reach the log.
        if (error.Status >= 500 && !error.IsTransient)
        {
            logger.LogError("{Method} {Path} failed unexpectedly ({ExceptionType}) at {StackTrace}.",
                request.Method, request.Path.Value, exception.GetType().FullName, exception.StackTrace);
        }
        else if (error.IsTransient)
        {
            var aborted = request.HttpContext.RequestAborted.IsCancellationRequested;
            logger.LogWarning("{Method} {Path} answered 503: a dependency is unavailable ({ExceptionType}{Aborted}).",
                request.Method, request.Path.Value, exception.GetType().Name, aborted ? ", request aborted" : "");
        }
        else
        {
            logger.LogInformation("{Method} {Path} answered {Status} {ScimType}.", request.Method, request.Path.Value, error.Status, error.ScimType);
        }
        return ErrorResponses.For(surface, error, options.RetryAfter);
    }
}
