using System.Text.Json.Nodes;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim;

/// <summary>
/// The <c>attributes</c> / <c>excludedAttributes</c> parameters (RFC 7644 §3.4.2.5, §3.9) applied to a
/// resource, honouring each attribute's <c>returned</c> characteristic: "always" survives any exclusion,
/// "never" is never returned, "request" only when named in <c>attributes</c>. Names may be sub-attributes
/// (<c>name.givenName</c>), URN-qualified, or a whole extension's URN. Unknown names select nothing.
/// </summary>
public static class Projection
{
    /// <summary>Splits a comma-separated query parameter; null or blank gives an empty list.</summary>
    public static IReadOnlyList<string> ParseList(string? commaSeparated)
        => string.IsNullOrWhiteSpace(commaSeparated)
            ? []
            : commaSeparated.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Returns a new, projected copy of <paramref name="resource"/>. If both lists are given, <c>attributes</c> wins.</summary>
    public static JsonObject Apply(JsonObject resource, IReadOnlyCollection<string>? attributes, IReadOnlyCollection<string>? excludedAttributes, ResourceSchema schema)
    {
        var selection = Selection.Create(attributes, excludedAttributes, schema);
        var result = new JsonObject();
        foreach (var (key, value) in resource)
        {
            if (value is null) continue;
            if (key.Equals("schemas", StringComparison.OrdinalIgnoreCase))
            {
                result[key] = value.DeepClone();
                continue;
            }
            if (ResourceSchema.IsSchemaKey(key) && value is JsonObject extensionValues && !schema.IsCoreUrn(key))
            {
                var extension = schema.FindExtension(key);
                var extensionKey = extension?.Id ?? key;
                var projected = new JsonObject();
                foreach (var (attributeKey, attributeValue) in extensionValues)
                {
                    if (attributeValue is null) continue;
                    var kept = selection.Project(extensionKey, attributeKey, extension?.FindAttribute(attributeKey), attributeValue);
                    if (kept is not null) projected[attributeKey] = kept;
                }
                if (projected.Count > 0) result[key] = projected;
                continue;
            }
            var top = selection.Project(null, key, schema.FindTopLevelAttribute(key), value);
            if (top is not null) result[key] = top;
        }
        return result;
    }

    /// <summary>
    /// Whether a top-level attribute (e.g. Group "members") would be in the response, so callers can skip
    /// loading what will not be returned.
    /// </summary>
    public static bool IsReturned(string attributeName, IReadOnlyCollection<string>? attributes, IReadOnlyCollection<string>? excludedAttributes, ResourceSchema schema)
    {
        var location = AttributeResolver.Resolve(AttributePath.Parse(attributeName), schema);
        var selection = Selection.Create(attributes, excludedAttributes, schema);
        return selection.IsSelected(location.ExtensionKey, location.Name, location.Definition);
    }

    private sealed class Selection
    {
        private readonly bool _inclusive;
        private readonly bool _exclusive;
        private readonly HashSet<(string Scope, string Name)> _whole = [];
        private readonly Dictionary<(string Scope, string Name), HashSet<string>> _subs = [];
        private readonly HashSet<string> _wholeExtensions = new(StringComparer.OrdinalIgnoreCase);

        private Selection(bool inclusive, bool exclusive)
        {
            _inclusive = inclusive;
            _exclusive = exclusive;
        }

        public static Selection Create(IReadOnlyCollection<string>? attributes, IReadOnlyCollection<string>? excluded, ResourceSchema schema)
        {
            var inclusive = attributes is { Count: > 0 };
            var names = inclusive ? attributes! : excluded ?? [];
            var selection = new Selection(inclusive, !inclusive && names.Count > 0);
            foreach (var raw in names)
            {
                var text = ScimNormaliser.MapLegacyUrnPrefix(raw.Trim(), schema);
                if (schema.FindExtension(text) is { } extension)
                {
                    selection._wholeExtensions.Add(extension.Id);
                    continue;
                }
                if (!AttributePath.TryParse(text, out var path)) continue;
                var location = AttributeResolver.Resolve(path, schema);
                var key = (Scope(location.ExtensionKey), location.Name.ToLowerInvariant());
                if (location.SubAttribute is null) selection._whole.Add(key);
                else
                {
                    if (!selection._subs.TryGetValue(key, out var subs)) selection._subs[key] = subs = new(StringComparer.OrdinalIgnoreCase);
                    subs.Add(location.SubAttribute);
                }
            }
            return selection;
        }

        private static string Scope(string? extensionKey) => extensionKey?.ToLowerInvariant() ?? "";

        public bool IsSelected(string? extensionKey, string name, AttributeDefinition? definition)
            => Decide(extensionKey, name, definition, out _) != Decision.Exclude;

        public JsonNode? Project(string? extensionKey, string name, AttributeDefinition? definition, JsonNode value)
        {
            var decision = Decide(extensionKey, name, definition, out var subs);
            return decision switch
            {
                Decision.Exclude => null,
                Decision.Whole => ProjectSubAttributes(value, definition, sub => true, named: null),
                Decision.OnlySubs => Empty(ProjectSubAttributes(value, definition, sub => subs!.Contains(sub), named: subs)),
                _ => Empty(ProjectSubAttributes(value, definition, sub => !subs!.Contains(sub), named: null)),
            };
        }

        private enum Decision { Exclude, Whole, OnlySubs, AllButSubs }

        private Decision Decide(string? extensionKey, string name, AttributeDefinition? definition, out HashSet<string>? subs)
        {
            subs = null;
            var returned = definition?.Returned ?? Returned.Default;
            if (returned == Returned.Never) return Decision.Exclude;
            if (returned == Returned.Always) return Decision.Whole;
            var key = (Scope(extensionKey), name.ToLowerInvariant());
            var wholeExtension = extensionKey is not null && _wholeExtensions.Contains(extensionKey);
            if (_inclusive)
            {
                if (wholeExtension || _whole.Contains(key)) return Decision.Whole;
                if (_subs.TryGetValue(key, out subs)) return Decision.OnlySubs;
                return Decision.Exclude;
            }
            if (returned == Returned.Request) return Decision.Exclude;
            if (_exclusive)
            {
                if (wholeExtension || _whole.Contains(key)) return Decision.Exclude;
                if (_subs.TryGetValue(key, out subs)) return Decision.AllButSubs;
            }
            return Decision.Whole;
        }

        /// <summary>Keeps the sub-attributes <paramref name="keep"/> accepts, applying their own returned rules.</summary>
        private static JsonNode ProjectSubAttributes(JsonNode value, AttributeDefinition? definition, Func<string, bool> keep, HashSet<string>? named)
        {
            JsonObject ProjectObject(JsonObject source)
            {
                var result = new JsonObject();
                foreach (var (key, subValue) in source)
                {
                    if (subValue is null) continue;
                    var returned = definition?.FindSubAttribute(key)?.Returned ?? Returned.Default;
                    var include = returned switch
                    {
                        Returned.Never => false,
                        Returned.Always => true,
                        Returned.Request => named?.Contains(key) == true,
                        _ => keep(key),
                    };
                    if (include) result[key] = subValue.DeepClone();
                }
                return result;
            }

            return value switch
            {
                JsonObject complex => ProjectObject(complex),
                JsonArray items => new JsonArray(items
                    .Select(item => item is JsonObject element ? ProjectObject(element) : item?.DeepClone())
                    .Where(item => item is not JsonObject { Count: 0 })
                    .ToArray()),
                _ => value.DeepClone(),
            };
        }

        private static JsonNode? Empty(JsonNode node) => node is JsonObject { Count: 0 } or JsonArray { Count: 0 } ? null : node;
    }
}
