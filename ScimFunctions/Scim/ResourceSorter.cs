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
        var keys = SortKeys.For(sortBy, schema);
        return Order(resources.Select(resource => (Item: resource, Key: keys.Of(resource))), keys.Comparer, IsDescending(sortOrder))
            .Select(k => k.Item).ToList();
    }

    /// <summary>Items already keyed (possibly by different schemas' <see cref="SortKeys"/>, as a search over Users and
    /// Groups together does), ordered stably by key.</summary>
    public static IEnumerable<(T Item, IComparable? Key)> Order<T>(IEnumerable<(T Item, IComparable? Key)> keyed, IComparer<IComparable?> comparer, bool descending)
        => descending ? keyed.OrderByDescending(k => k.Key, comparer) : keyed.OrderBy(k => k.Key, comparer);

    /// <summary>"ascending" (the default) or "descending", in any case; anything else is 400 invalidValue.</summary>
    public static bool IsDescending(string? sortOrder)
    {
        if (string.IsNullOrWhiteSpace(sortOrder) || sortOrder.Trim().Equals("ascending", StringComparison.OrdinalIgnoreCase)) return false;
        if (sortOrder.Trim().Equals("descending", StringComparison.OrdinalIgnoreCase)) return true;
        throw ScimException.InvalidValue($"sortOrder must be \"ascending\" or \"descending\", not \"{sortOrder}\".");
    }

    internal static IComparable? SortKey(JsonObject resource, AttributeLocation location)
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
}
