using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim;

/// <summary>
/// <c>sortBy</c> / <c>sortOrder</c> (RFC 7644 §3.4.2.3). A multi-valued attribute sorts by its primary value,
/// else its first; a complex one by its <c>value</c> sub-attribute. Strings compare by the attribute's
/// caseExact; numbers, dateTimes (as instants) and booleans by value. Resources without a value sort last
/// ascending and first descending. The sort is stable.
/// </summary>
public static class ResourceSorter
{
    public static IReadOnlyList<JsonObject> Sort(IEnumerable<JsonObject> resources, string sortBy, string? sortOrder, ResourceSchema schema)
    {
        var descending = IsDescending(sortOrder);
        if (!AttributePath.TryParse(ScimNormaliser.MapLegacyUrnPrefix(sortBy.Trim(), schema), out var path))
        {
            throw ScimException.InvalidValue($"sortBy \"{sortBy}\" is not an attribute path.");
        }
        var location = AttributeResolver.Resolve(path, schema);
        var keyed = resources.Select(resource => (Resource: resource, Key: SortKey(resource, location))).ToList();
        var comparer = new SortKeyComparer(location.TargetDefinition?.CaseExact == true);
        var ordered = descending
            ? keyed.OrderByDescending(k => k.Key, comparer)
            : keyed.OrderBy(k => k.Key, comparer);
        return ordered.Select(k => k.Resource).ToList();
    }

    /// <summary>"ascending" (the default) or "descending", in any case; anything else is 400 invalidValue.</summary>
    public static bool IsDescending(string? sortOrder)
    {
        if (string.IsNullOrWhiteSpace(sortOrder) || sortOrder.Trim().Equals("ascending", StringComparison.OrdinalIgnoreCase)) return false;
        if (sortOrder.Trim().Equals("descending", StringComparison.OrdinalIgnoreCase)) return true;
        throw ScimException.InvalidValue($"sortOrder must be \"ascending\" or \"descending\", not \"{sortOrder}\".");
    }

    private static IComparable? SortKey(JsonObject resource, AttributeLocation location)
    {
        var container = AttributeResolver.Container(resource, location);
        var node = container is null ? null : JsonNodes.Get(container, location.Name);
        var definition = location.Definition;
        if (node is JsonArray items)
        {
            node = items.FirstOrDefault(ValueCoercion.IsPrimary) ?? items.FirstOrDefault(item => item is not null);
        }
        if (location.SubAttribute is not null)
        {
            node = node is JsonObject parent ? JsonNodes.Get(parent, location.SubAttribute) : null;
            definition = location.SubDefinition;
        }
        else if (node is JsonObject complex)
        {
            node = JsonNodes.Get(complex, "value");
            definition = definition?.FindSubAttribute("value");
        }
        if (node is not JsonValue value || value.GetValueKind() == JsonValueKind.Null) return null;
        switch (definition?.Type)
        {
            case AttributeType.Boolean:
                return JsonNodes.TryGetBoolean(value, out var flag) ? flag : null;
            case AttributeType.Integer or AttributeType.Decimal:
                return FilterEvaluator.TryNumber(value, out var number) ? number : null;
            case AttributeType.DateTime:
                return FilterEvaluator.TryDateTime(FilterEvaluator.TextOf(value), out var instant) ? instant : null;
            case null when value.GetValueKind() == JsonValueKind.Number:
                return FilterEvaluator.TryNumber(value, out var untyped) ? untyped : null;
            case null when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return value.GetValueKind() == JsonValueKind.True;
            default:
                return FilterEvaluator.TextOf(value);
        }
    }

    /// <summary>Missing values are greater than any value, so they come last ascending and first descending.</summary>
    private sealed class SortKeyComparer(bool caseExact) : IComparer<IComparable?>
    {
        public int Compare(IComparable? x, IComparable? y)
        {
            if (x is null) return y is null ? 0 : 1;
            if (y is null) return -1;
            if (x is string left && y is string right)
            {
                return string.Compare(left, right, caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
            }
            if (x.GetType() != y.GetType())
            {
                return string.Compare(x.GetType().Name, y.GetType().Name, StringComparison.Ordinal);
            }
            return x.CompareTo(y);
        }
    }
}
