using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ScimFunctions.Functions.Http;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Portal;

/// <summary>Reading portal API requests. Bad input throws <see cref="ScimException"/> (a 400 through the error
/// mapper, shown in the portal's shape), so handlers stay straight-line.</summary>
public static class PortalRequests
{
    /// <summary>The JSON object body; an empty body is <c>{}</c>. Limits and errors as <see cref="ScimRequests.ReadBodyAsync"/>.</summary>
    public static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && request.ContentType is null && !request.Headers.ContainsKey("Transfer-Encoding"))) return [];
        return await ScimRequests.ReadBodyAsync(request, cancellationToken);
    }

    public static string? OptionalString(JsonObject body, string name, int maxLength)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text)) throw Invalid($"'{name}' must be text.");
        if (text.Length > maxLength || text.Any(char.IsControl)) throw Invalid($"'{name}' must be at most {maxLength} characters, with no control characters.");
        return text;
    }

    public static int? OptionalInteger(JsonObject body, string name, int min, int max)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue value && value.TryGetValue<double>(out var number) && number == Math.Floor(number) && number >= min && number <= max) return (int)number;
        throw Invalid($"'{name}' must be a whole number from {min} to {max}.");
    }

    /// <summary>An array of strings, or null when absent.</summary>
    public static IReadOnlyList<string>? OptionalStrings(JsonObject body, string name, int maxCount)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is not JsonArray array || array.Count > maxCount) throw Invalid($"'{name}' must be a list of at most {maxCount} names.");
        return array.Select(item => item is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw Invalid($"'{name}' must hold names (text).")).ToList();
    }

    /// <summary>The <c>count</c> query parameter: <paramref name="fallback"/> when absent, 1 to <paramref name="max"/>.</summary>
    public static int Count(HttpRequest request, int fallback, int max)
    {
        var text = request.Query["count"].ToString();
        if (text.Length == 0) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 && count <= max
            ? count
            : throw Invalid($"'count' must be a whole number from 1 to {max}.");
    }

    public static string? Query(HttpRequest request, string name, int maxLength)
    {
        var text = request.Query[name].ToString().Trim();
        if (text.Length == 0) return null;
        return text.Length <= maxLength && !text.Any(char.IsControl) ? text : throw Invalid($"'{name}' must be at most {maxLength} characters.");
    }

    public static ScimException Invalid(string message) => ScimException.BadRequest(ScimErrorType.InvalidValue, message);
}
