using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ScimFunctions.Scim;

/// <summary>The RFC 7644 §3.4.2 query response.</summary>
public sealed record ScimListResponse
{
    public ScimListResponse(IReadOnlyList<JsonObject> resources, int totalResults, int startIndex = 1)
    {
        Resources = resources;
        TotalResults = totalResults;
        StartIndex = startIndex;
    }

    [JsonPropertyName("schemas")]
    public IReadOnlyList<string> Schemas { get; init; } = [ScimConstants.ListResponseSchema];

    [JsonPropertyName("totalResults")]
    public int TotalResults { get; init; }

    [JsonPropertyName("startIndex")]
    public int StartIndex { get; init; }

    [JsonPropertyName("itemsPerPage")]
    public int ItemsPerPage => Resources.Count;

    [JsonPropertyName("Resources")]
    public IReadOnlyList<JsonObject> Resources { get; init; }

    /// <summary>Builds the body; resources are cloned so one document can appear in several responses.</summary>
    public JsonObject ToJson()
    {
        var resources = new JsonArray();
        foreach (var resource in Resources) resources.Add(resource.DeepClone());
        return new JsonObject
        {
            ["schemas"] = new JsonArray(Schemas.Select(s => (JsonNode?)s).ToArray()),
            ["totalResults"] = TotalResults,
            ["startIndex"] = StartIndex,
            ["itemsPerPage"] = ItemsPerPage,
            ["Resources"] = resources,
        };
    }
}

/// <summary>The operation names of RFC 7644 §3.5.2, matched case-insensitively ("Add", "replace", ...).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PatchOperationType>))]
public enum PatchOperationType { Add, Remove, Replace }

public sealed record PatchOperation(
    [property: JsonPropertyName("op")] PatchOperationType Op,
    [property: JsonPropertyName("path")] string? Path,
    [property: JsonPropertyName("value")] JsonNode? Value);

/// <summary>The RFC 7644 §3.5.2 PatchOp message.</summary>
public sealed record PatchRequest(
    [property: JsonPropertyName("Operations")] IReadOnlyList<PatchOperation> Operations)
{
    /// <summary>More operations than any IdP sends in one request; bounds the work of one PATCH.</summary>
    public const int MaxOperations = 1000;

    [JsonPropertyName("schemas")]
    public IReadOnlyList<string> Schemas { get; init; } = [ScimConstants.PatchOpSchema];

    /// <summary>Reads a PatchOp body leniently (key and op-name case) and strictly (shape); 400 invalidSyntax otherwise.</summary>
    public static PatchRequest Parse(JsonObject body)
    {
        if (JsonNodes.Get(body, "schemas") is { } schemas)
        {
            if (schemas is not JsonArray schemaArray
                || !schemaArray.Any(s => JsonNodes.TryGetString(s, out var urn)
                    && urn.Equals(ScimConstants.PatchOpSchema, StringComparison.OrdinalIgnoreCase)))
            {
                throw ScimException.InvalidSyntax($"A PATCH body's schemas must contain \"{ScimConstants.PatchOpSchema}\".");
            }
        }
        if (JsonNodes.Get(body, "Operations") is not JsonArray operations)
        {
            throw ScimException.InvalidSyntax("A PATCH body needs an \"Operations\" array.");
        }
        if (operations.Count == 0)
        {
            // RFC 7644 §3.5.2: the body contains "one or more" operations.
            throw ScimException.InvalidValue("A PATCH body needs at least one operation in \"Operations\".");
        }
        if (operations.Count > MaxOperations)
        {
            throw ScimException.BadRequest(ScimErrorType.TooMany, $"A PATCH request may carry at most {MaxOperations} operations.");
        }
        var parsed = new List<PatchOperation>(operations.Count);
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw ScimException.InvalidSyntax($"Operation {i + 1} is not a JSON object.");
            }
            if (!JsonNodes.TryGetString(JsonNodes.Get(operation, "op"), out var opName))
            {
                throw ScimException.InvalidSyntax($"Operation {i + 1} has no \"op\".");
            }
            PatchOperationType op = opName.Trim().ToLowerInvariant() switch
            {
                "add" => PatchOperationType.Add,
                "remove" => PatchOperationType.Remove,
                "replace" => PatchOperationType.Replace,
                _ => throw ScimException.InvalidSyntax($"Operation {i + 1} has an unknown op \"{opName}\"; expected add, remove or replace."),
            };
            string? path = null;
            var pathNode = JsonNodes.Get(operation, "path");
            if (pathNode is not null && pathNode.GetValueKind() != JsonValueKind.Null)
            {
                if (!JsonNodes.TryGetString(pathNode, out var pathText))
                {
                    throw ScimException.InvalidPath($"Operation {i + 1} has a \"path\" that is not a string.");
                }
                path = string.IsNullOrWhiteSpace(pathText) ? null : pathText.Trim();
            }
            var value = JsonNodes.Get(operation, "value");
            // Bodies from the strict reader never hold names that differ only in case; a value built
            // elsewhere might, and attaching it to a case-insensitive document would collide.
            if (JsonNodes.FirstCaseDuplicateName(value) is { } duplicate)
            {
                throw ScimException.InvalidSyntax($"Operation {i + 1} names \"{duplicate}\" twice (names are case-insensitive).");
            }
            value = value?.DeepClone();
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Null) value = null;
            parsed.Add(new PatchOperation(op, path, value));
        }
        return new PatchRequest(parsed);
    }

    public JsonObject ToJson()
    {
        var operations = new JsonArray();
        foreach (var operation in Operations)
        {
            var item = new JsonObject { ["op"] = operation.Op.ToString().ToLowerInvariant() };
            if (operation.Path is not null) item["path"] = operation.Path;
            if (operation.Value is not null) item["value"] = operation.Value.DeepClone();
            operations.Add(item);
        }
        return new JsonObject
        {
            ["schemas"] = new JsonArray(Schemas.Select(s => (JsonNode?)s).ToArray()),
            ["Operations"] = operations,
        };
    }
}
