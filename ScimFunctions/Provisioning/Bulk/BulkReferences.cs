using System.Text.Json.Nodes;

namespace ScimFunctions.Provisioning.Bulk;

/// <summary>
/// <c>bulkId:xyz</c> references (RFC 7644 §3.7.2): any string value in an operation's data (a group member's
/// <c>value</c>, a PATCH value, …) or the id in its path that is exactly <c>bulkId:</c> followed by the bulkId of
/// a POST in the same request stands for the id that POST created.
/// </summary>
public static class BulkReferences
{
    public const string Prefix = "bulkId:";

    /// <summary>Every bulkId the operation refers to, in order of appearance, each once.</summary>
    public static IReadOnlyList<string> In(BulkOperation operation)
    {
        var found = new List<string>();
        if (IdOf(operation.Path) is { } pathId && Referenced(pathId) is { } fromPath) found.Add(fromPath);
        var pending = new Stack<JsonNode?>();
        pending.Push(operation.Data);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var (_, value) in obj) pending.Push(value);
                    break;
                case JsonArray array:
                    foreach (var item in array) pending.Push(item);
                    break;
                case JsonValue value when value.TryGetValue<string>(out var text) && Referenced(text) is { } bulkId:
                    found.Add(bulkId);
                    break;
            }
        }
        return found.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A copy of the data with each reference replaced by the id it stands for (all are known by now).</summary>
    public static JsonNode? Resolve(JsonNode? data, IReadOnlyDictionary<string, string> ids) => data switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(pair => KeyValuePair.Create(pair.Key, Resolve(pair.Value, ids)))),
        JsonArray array => new JsonArray([.. array.Select(item => Resolve(item, ids))]),
        JsonValue value when value.TryGetValue<string>(out var text) && Referenced(text) is { } bulkId && ids.TryGetValue(bulkId, out var id) => JsonValue.Create(id),
        _ => data.DeepClone(),
    };

    /// <summary>The id the path names, with a reference replaced.</summary>
    public static string ResolveId(string id, IReadOnlyDictionary<string, string> ids) =>
        Referenced(id) is { } bulkId && ids.TryGetValue(bulkId, out var resolved) ? resolved : id;

    /// <summary>The second segment of <c>/Users/{id}</c>, or null.</summary>
    public static string? IdOf(string? path)
    {
        var segments = (path ?? "").Trim().Trim('/').Split('/');
        return segments.Length == 2 ? segments[1] : null;
    }

    private static string? Referenced(string text) =>
        text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length ? text[Prefix.Length..] : null;
}
