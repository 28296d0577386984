using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ScimFunctions.Functions.Http;
using ScimFunctions.Roles;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Roles;

/// <summary>Bodies of the roles API.</summary>
internal static class RoleJson
{
    public static JsonObject Role(RoleDefinition role) => new()
    {
        ["key"] = role.Key,
        ["displayName"] = role.DisplayName,
        ["description"] = role.Description,
    };

    public static JsonObject Mapping(GroupRoleMapping mapping) => new()
    {
        ["id"] = mapping.MappingId,
        ["group"] = mapping.Match == GroupMatch.Id
            ? new JsonObject { ["id"] = mapping.Group }
            : new JsonObject { ["displayName"] = mapping.Group },
        ["roles"] = new JsonArray([.. mapping.Roles.Select(r => (JsonNode)JsonValue.Create(r))]),
    };

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The <c>count</c> query parameter: 1..max, default <paramref name="fallback"/>; null and an error when malformed.</summary>
    public static int? Count(HttpRequest request, int fallback, int max, out PlainJsonResult? error)
    {
        error = null;
        var text = request.Query["count"].ToString();
        if (text.Length == 0) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 && count <= max) return count;
        error = ErrorResponses.Management(StatusCodes.Status400BadRequest, ScimErrorType.InvalidValue, $"'count' must be an integer from 1 to {max}.");
        return null;
    }
}
