using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimFunctions.Scim;

/// <summary>
/// Case-insensitive access to SCIM JSON: attribute names are case-insensitive (RFC 7643 §2.1) but
/// <see cref="JsonObject"/> keys are not, and documents may come from anywhere.
/// </summary>
public static class JsonNodes
{
    private static readonly ConditionalWeakTable<JsonObject, object> CaseInsensitiveObjects = new();
    private static readonly object Marker = new();

    /// <summary>
    /// The key of <paramref name="obj"/> equal to <paramref name="name"/> ignoring case. One hash probe for the
    /// case-insensitive objects request bodies and normalised documents are made of; a scan otherwise.
    /// </summary>
    public static string? FindKey(JsonObject obj, string name)
    {
        if (CaseInsensitiveObjects.TryGetValue(obj, out _))
        {
            var index = obj.IndexOf(name);
            return index < 0 ? null : obj.GetAt(index).Key;
        }
        if (obj.ContainsKey(name)) return name;
        foreach (var (key, _) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return key;
        }
        return null;
    }

    public static JsonNode? Get(JsonObject obj, string name)
        => FindKey(obj, name) is { } key ? obj[key] : null;

    /// <summary>Sets <paramref name="name"/>, replacing any key that differs only in case.</summary>
    public static void Set(JsonObject obj, string name, JsonNode? value)
    {
        var existing = FindKey(obj, name);
        if (existing is not null && existing != name) obj.Remove(existing);
        obj[name] = value;
    }

    /// <summary>A new, empty object whose keys compare case-insensitively.</summary>
    public static JsonObject NewObject()
    {
        var obj = new JsonObject(ScimJsonReader.NodeOptions);
        // JsonObject.Options is inherited from a parent, so it cannot tell how an object's own keys compare; this can.
        CaseInsensitiveObjects.AddOrUpdate(obj, Marker);
        return obj;
    }

    /// <summary>
    /// A deep copy whose objects compare keys case-insensitively (a stored document, before PATCH works on it).
    /// Of keys differing only in case, the last one wins, as a case-insensitive read of the original would see.
    /// </summary>
    public static JsonNode? CaseInsensitiveCopy(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject source:
                var copy = NewObject();
                foreach (var (key, value) in source)
                {
                    if (FindKey(copy, key) is { } existing) copy.Remove(existing);
                    copy[key] = CaseInsensitiveCopy(value);
                }
                return copy;
            case JsonArray items:
                var array = new JsonArray(ScimJsonReader.NodeOptions);
                foreach (var item in items) array.Add(CaseInsensitiveCopy(item));
                return array;
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>A name that occurs twice, ignoring case, in some object of the tree; null when there is none.</summary>
    public static string? FirstCaseDuplicateName(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var (key, value) in obj)
                {
                    if (!seen.Add(key)) return key;
                    if (FirstCaseDuplicateName(value) is { } inner) return inner;
                }
                return null;
            case JsonArray items:
                foreach (var item in items)
                {
                    if (FirstCaseDuplicateName(item) is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    public static bool Remove(JsonObject obj, string name)
        => FindKey(obj, name) is { } key && obj.Remove(key);

    public static bool IsNullOrEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0 || obj.All(p => IsNullOrEmpty(p.Value)),
        JsonValue value => value.GetValueKind() == JsonValueKind.Null,
        _ => false,
    };

    public static bool TryGetString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }
        text = "";
        return false;
    }

    public static string? GetString(JsonObject obj, string name)
        => TryGetString(Get(obj, name), out var text) ? text : null;

    /// <summary>Reads a boolean that may have arrived as a JSON boolean or as "true"/"false" in any case.</summary>
    public static bool TryGetBoolean(JsonNode? node, out bool result)
    {
        result = false;
        if (node is not JsonValue value) return false;
        switch (value.GetValueKind())
        {
            case JsonValueKind.True: result = true; return true;
            case JsonValueKind.False: result = false; return true;
            case JsonValueKind.String: return bool.TryParse(value.GetValue<string>().Trim(), out result);
            default: return false;
        }
    }
}
