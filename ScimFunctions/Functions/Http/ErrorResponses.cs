using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// Error responses in the RFC 7644 §3.12 shape: <c>application/scim+json</c> on SCIM routes, the same body as
/// <c>application/json</c> on the management API and health. 503s and 429s carry <c>Retry-After</c>, 401s the bearer challenge.
/// </summary>
public static class ErrorResponses
{
    public static JsonBodyResult For(ErrorSurface surface, HttpError error, TimeSpan retryAfter) => surface switch
    {
        ErrorSurface.Scim => Scim(error, retryAfter),
        ErrorSurface.Portal => Portal(error, retryAfter),
        _ => Management(error, retryAfter),
    };

    /// <summary>The portal's error shape, <c>{"error", "message"}</c>. Its pages know no 412 or 413: they are conflicts
    /// and bad requests there. No bearer challenge: the portal authenticates with its cookie.</summary>
    public static PlainJsonResult Portal(HttpError error, TimeSpan retryAfter)
    {
        var status = error.Status switch
        {
            StatusCodes.Status412PreconditionFailed => StatusCodes.Status409Conflict,
            StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType => StatusCodes.Status400BadRequest,
            StatusCodes.Status408RequestTimeout => StatusCodes.Status503ServiceUnavailable,
            _ => error.Status,
        };
        var result = Portal(status, error.Code ?? PortalCode(status), error.Detail);
        if (status == StatusCodes.Status503ServiceUnavailable) result.WithHeader("Retry-After", Seconds(retryAfter));
        return result;
    }

    /// <summary>An error a portal route answers itself.</summary>
    public static PlainJsonResult Portal(int status, string code, string message) =>
        new(status, new JsonObject { ["error"] = code, ["message"] = message });

    private static string PortalCode(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "invalid",
        StatusCodes.Status401Unauthorized => "session_required",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "error",
    };

    private static string Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public static ScimResult Scim(HttpError error, TimeSpan retryAfter)
    {
        var result = new ScimResult(error.Status, Body(error));
        foreach (var (name, value) in Headers(error, retryAfter)) result.WithHeader(name, value);
        return result;
    }

    public static PlainJsonResult Management(HttpError error, TimeSpan retryAfter)
    {
        var result = new PlainJsonResult(error.Status, Body(error));
        foreach (var (name, value) in Headers(error, retryAfter)) result.WithHeader(name, value);
        return result;
    }

    /// <summary>An error the management API answers without an exception (a route's own validation).</summary>
    public static PlainJsonResult Management(int status, string? scimType, string detail) =>
        new(status, Body(new HttpError(status, scimType, detail)));

    private static JsonObject Body(HttpError error) => new ScimError(error.Status, error.ScimType, error.Detail).ToJson();

    private static IEnumerable<(string Name, string Value)> Headers(HttpError error, TimeSpan retryAfter)
    {
        if (error.IsTransient || error.IsThrottled) yield return ("Retry-After", Seconds(retryAfter));
        if (error.IsChallenge) yield return ("WWW-Authenticate", "Bearer");
    }
}
