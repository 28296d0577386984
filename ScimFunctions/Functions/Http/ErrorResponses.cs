using System.Globalization;
using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// Error responses in the RFC 7644 §3.12 shape: <c>application/scim+json</c> on SCIM routes, the same body as
/// <c>application/json</c> on the management API and health. 503s and 429s carry <c>Retry-After</c>, 401s the bearer challenge.
/// </summary>
public static class ErrorResponses
{
    public static JsonBodyResult For(ErrorSurface surface, HttpError error, TimeSpan retryAfter) => surface == ErrorSurface.Scim
        ? Scim(error, retryAfter)
        : Management(error, retryAfter);

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
        if (error.IsTransient || error.IsThrottled) yield return ("Retry-After", Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        if (error.IsChallenge) yield return ("WWW-Authenticate", "Bearer");
    }
}
