using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Management;

/// <summary>Bodies of the management API, and the errors its routes answer themselves (in the SCIM error shape, as application/json).</summary>
internal static class ManagementJson
{
    public static JsonObject Directory(ScimDirectory directory, string scimBaseUrl) => new()
    {
        ["id"] = directory.Id,
        ["displayName"] = directory.DisplayName,
        ["provider"] = directory.Provider.ToString(),
        ["state"] = directory.State.ToString().ToLowerInvariant(),
        ["scimBaseUrl"] = scimBaseUrl,
        ["created"] = Timestamp(directory.Created),
        ["lastModified"] = Timestamp(directory.LastModified),
        ["portalFrameAncestors"] = new JsonArray(directory.PortalFrameAncestors.Select(origin => (JsonNode?)origin).ToArray()),
    };

    /// <summary><c>{"users": n, "groups": n}</c>, kept with the writes (see <see cref="DirectoryCounts"/>).</summary>
    public static JsonObject Counts(ResourceCounts counts) => new() { ["users"] = counts.Users, ["groups"] = counts.Groups };

    public static JsonObject Token(TokenMetadata token, DateTimeOffset now) => new()
    {
        ["id"] = token.TokenId,
        ["label"] = token.Label,
        ["last4"] = token.Last4,
        ["status"] = token.StatusAt(now),
        ["created"] = Timestamp(token.Created),
        ["expiresAt"] = token.ExpiresAt is { } expires ? Timestamp(expires) : null,
        ["revokedAt"] = token.RevokedAt is { } revoked ? Timestamp(revoked) : null,
        ["lastUsedAt"] = token.LastUsedAt is { } used ? Timestamp(used) : null,
        ["lastUserAgent"] = token.LastUserAgent,
    };

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static PlainJsonResult NotFound(string what) => ErrorResponses.Management(StatusCodes.Status404NotFound, null, $"No such {what}.");

    public static PlainJsonResult Invalid(string detail) => ErrorResponses.Management(StatusCodes.Status400BadRequest, ScimErrorType.InvalidValue, detail);

    /// <summary>The request body as a JSON object, or the 400 to answer instead.</summary>
    public static async Task<(JsonObject? Body, PlainJsonResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return node is JsonObject body
                ? (body, null)
                : (null, ErrorResponses.Management(StatusCodes.Status400BadRequest, ScimErrorType.InvalidSyntax, "The body must be a JSON object."));
        }
        catch (JsonException)
        {
            return (null, ErrorResponses.Management(StatusCodes.Status400BadRequest, ScimErrorType.InvalidSyntax, "The body is not valid JSON."));
        }
    }

    /// <summary>A string member, or null when absent; a non-string value sets <paramref name="error"/>.</summary>
    public static string? OptionalString(JsonObject body, string name, out PlainJsonResult? error)
    {
        error = null;
        if (!body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue value && value.TryGetValue<string>(out var text)) return text;
        error = Invalid($"'{name}' must be a string.");
        return null;
    }

    /// <summary>A trimmed, non-empty display text of at most <paramref name="maxLength"/> characters.</summary>
    public static string? RequiredText(JsonObject body, string name, int maxLength, out PlainJsonResult? error)
    {
        var text = OptionalString(body, name, out error)?.Trim();
        if (error is not null) return null;
        if (string.IsNullOrEmpty(text) || text.Length > maxLength || text.Any(char.IsControl))
        {
            error = Invalid($"'{name}' is required: 1 to {maxLength} characters, no control characters.");
            return null;
        }
        return text;
    }
}
