using System.Text.Json.Nodes;
using ScimFunctions.Storage;

namespace ScimFunctions.Activity;

/// <summary>
/// What a request body shows without its values: the attribute names it carries (<c>name.givenName</c>,
/// PATCH <c>replace active</c>) and the server ids of members it changes. A name that does not look like an
/// attribute name (an email used as a key, say) is kept as <c>?</c>, so no client value slips through a key.
/// </summary>
public static class BodyShape
{
    private const int MaxNames = 100;
    private const int MaxNameLength = 120;
    private const int MaxDepth = 3;

    public static IReadOnlyList<string> AttributeNames(JsonObject? body)
    {
        if (body is null) return [];
        var names = new List<string>();
        if (Get(body, "Operations") is JsonArray operations)
        {
            foreach (var operation in operations.OfType<JsonObject>())
            {
                var op = Get(operation, "op") is JsonValue value && value.TryGetValue<string>(out var text) ? Safe(text.ToLowerInvariant()) : "?";
                var path = Get(operation, "path") is JsonValue pathValue && pathValue.TryGetValue<string>(out var pathText)
                    ? SafePath(ClientValueMask.Filter(pathText)!) : null;
                if (path is not null) Add(names, op + " " + path);
                else if (Get(operation, "value") is JsonObject valueObject) Collect(valueObject, op + " ", names, 0);
                else Add(names, op);
            }
            return names;
        }
        Collect(body, "", names, 0);
        return names;
    }

    /// <summary>Server ids of the members a body adds, replaces or removes (group writes).</summary>
    public static IReadOnlyList<string> MemberIds(JsonObject? body)
    {
        if (body is null) return [];
        var ids = new List<string>();
        AddMemberValues(Get(body, "members"), ids);
        if (Get(body, "Operations") is JsonArray operations)
        {
            foreach (var operation in operations.OfType<JsonObject>())
            {
                var path = Get(operation, "path") is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
                if (path is null && Get(operation, "value") is JsonObject valueObject) AddMemberValues(Get(valueObject, "members"), ids);
                if (path is null || !path.StartsWith("members", StringComparison.OrdinalIgnoreCase)) continue;
                AddMemberValues(Get(operation, "value"), ids);
                // members[value eq "id"]: the id sits in the path's filter.
                foreach (var part in path.Split('"').Where(PartitionLayout.IsServerId)) ids.Add(part);
            }
        }
        return ids.Distinct(StringComparer.Ordinal).Take(MaxNames).ToList();
    }

    private static void AddMemberValues(JsonNode? node, List<string> ids)
    {
        IEnumerable<JsonNode?> items = node is JsonArray array ? array : [node];
        foreach (var item in items.OfType<JsonObject>())
        {
            if (Get(item, "value") is JsonValue value && value.TryGetValue<string>(out var id) && PartitionLayout.IsServerId(id)) ids.Add(id);
        }
    }

    private static void Collect(JsonObject node, string prefix, List<string> names, int depth)
    {
        foreach (var (name, value) in node)
        {
            var path = prefix + Safe(name);
            if (value is JsonObject child && depth < MaxDepth && child.Count > 0) Collect(child, path + ".", names, depth + 1);
            else Add(names, path);
        }
    }

    private static void Add(List<string> names, string name)
    {
        if (names.Count < MaxNames && !names.Contains(name, StringComparer.Ordinal)) names.Add(name);
    }

    private static JsonNode? Get(JsonObject node, string name) =>
        node.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Attribute names and URNs use letters, digits and <c>$-_:.</c>; anything else is not a name.</summary>
    private static string Safe(string name) =>
        name.Length <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '$' or '-' or '_' or ':' or '.') ? name : "?";

    /// <summary>A PATCH path, its literals already masked: a name plus <c>[]" *</c> of a value filter.</summary>
    private static string SafePath(string path) =>
        path.Length <= MaxNameLength && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '$' or '-' or '_' or ':' or '.' or '[' or ']' or '"' or ' ' or '*')
            ? path : "?";
}
