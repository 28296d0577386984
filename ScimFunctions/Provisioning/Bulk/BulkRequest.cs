using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Provisioning.Bulk;

/// <summary>
/// A BulkRequest (RFC 7644 §3.7). What makes the whole request unusable is refused before anything runs: a wrong
/// <c>schemas</c>, no <c>Operations</c> array, more operations than <see cref="ScimLimits.MaxBulkOperations"/>
/// (413 tooMany), a <c>failOnErrors</c> that is not a positive integer, a <c>bulkId</c> used twice. What is wrong
/// with one operation (its method, path or data) fails that operation only.
/// </summary>
public sealed record BulkRequest(IReadOnlyList<BulkOperation> Operations, int? FailOnErrors)
{
    public const string Schema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    public static BulkRequest FromJson(JsonObject body)
    {
        if (JsonNodes.Get(body, "schemas") is not JsonArray schemas
            || !schemas.Any(s => JsonNodes.TryGetString(s, out var urn) && urn.Equals(Schema, StringComparison.OrdinalIgnoreCase)))
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"A bulk request's schemas must contain \"{Schema}\".");
        }
        if (JsonNodes.Get(body, "Operations") is not JsonArray operations)
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, "A bulk request needs an \"Operations\" array.");
        }
        if (operations.Count > ScimLimits.MaxBulkOperations)
        {
            throw new ScimException(ScimErrorKind.PayloadTooLarge, ScimErrorType.TooMany,
                $"The bulk request has {operations.Count} operations; maxOperations is {ScimLimits.MaxBulkOperations}.");
        }
        var parsed = operations.Select((operation, index) => Operation(operation, index)).ToList();
        var duplicate = parsed.Where(o => o.BulkId is not null).GroupBy(o => o.BulkId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"bulkId \"{duplicate.Key}\" is used by more than one operation; each must be unique in the request.");
        }
        return new BulkRequest(parsed, FailOnErrorsOf(body));
    }

    private static BulkOperation Operation(JsonNode? node, int index)
    {
        if (node is not JsonObject operation)
        {
            return new BulkOperation(index, "", null, null, null, null);
        }
        return new BulkOperation(
            index,
            (Text(operation, "method") ?? "").Trim().ToUpperInvariant(),
            Text(operation, "bulkId"),
            Text(operation, "version"),
            Text(operation, "path"),
            JsonNodes.Get(operation, "data"));
    }

    /// <summary>A string member, or null when absent, null or not a string (the operation then fails on its own).</summary>
    private static string? Text(JsonObject operation, string name) =>
        JsonNodes.TryGetString(JsonNodes.Get(operation, name), out var text) && text.Length > 0 ? text : null;

    private static int? FailOnErrorsOf(JsonObject body)
    {
        var node = JsonNodes.Get(body, "failOnErrors");
        if (node is null || node is JsonValue nothing && nothing.GetValueKind() == JsonValueKind.Null) return null;
        var number = node is JsonValue value && value.TryGetValue<int>(out var n) ? n
            : JsonNodes.TryGetString(node, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : 0;
        return number >= 1 ? number : throw ScimException.BadRequest(ScimErrorType.InvalidValue, "failOnErrors must be a positive integer: the number of errors after which processing stops.");
    }
}
