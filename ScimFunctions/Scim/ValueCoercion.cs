using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim;

/// <summary>
/// Brings an incoming value into the shape its schema declares, accepting what IdPs really send: string
/// booleans and numbers, a single object or a <c>;</c>-joined string for a multi-valued attribute, a bare
/// string for a complex attribute with a <c>value</c>. Null, "" and empty collections mean "unassigned" and
/// come back as null. Values no reading can fit are 400 invalidValue.
/// </summary>
internal static class ValueCoercion
{
    public static JsonNode? Coerce(JsonNode? value, AttributeDefinition? definition, string path)
    {
        if (IsNull(value)) return null;
        if (definition is null) return value!.DeepClone();
        if (!definition.MultiValued)
        {
            // Entra ID sends single-valued complex attributes (manager) as a one-element array.
            if (value is JsonArray wrapped)
            {
                return wrapped.Count switch
                {
                    0 => null,
                    1 => wrapped[0] is null ? null : CoerceSingle(wrapped[0]!, definition, path),
                    _ => throw ScimException.InvalidValue($"\"{path}\" is single-valued but {wrapped.Count} values were given."),
                };
            }
            return CoerceSingle(value!, definition, path);
        }

        var items = new JsonArray();
        foreach (var item in SplitMultiValued(value!))
        {
            var coerced = CoerceSingle(item, definition, path);
            if (coerced is not null) items.Add(coerced);
            CheckValueCount(items.Count, path);
        }
        if (items.Count == 0) return null;
        if (definition.HasPrimary) EnforceSinglePrimary(items, preferredIndex: null);
        return items;
    }

    /// <summary>Coerces one value of an attribute (one element, for a multi-valued attribute).</summary>
    public static JsonNode? CoerceSingle(JsonNode value, AttributeDefinition definition, string path)
    {
        if (IsNull(value)) return null;
        if (definition.IsComplex) return CoerceComplex(value, definition, path);
        if (value is not JsonValue scalar)
        {
            throw ScimException.InvalidValue($"\"{path}\" takes a single {AttributeDefinition.TypeName(definition.Type)} value.");
        }
        var kind = scalar.GetValueKind();
        switch (definition.Type)
        {
            case AttributeType.Boolean:
                if (JsonNodes.TryGetBoolean(scalar, out var flag)) return JsonValue.Create(flag);
                if (kind == JsonValueKind.String && string.IsNullOrWhiteSpace(scalar.GetValue<string>())) return null;
                throw ScimException.InvalidValue($"\"{path}\" must be true or false.");
            case AttributeType.Integer:
                if (FilterEvaluator.TryNumber(scalar, out var integer) && integer == decimal.Truncate(integer)
                    && integer is >= long.MinValue and <= long.MaxValue)
                {
                    return JsonValue.Create((long)integer);
                }
                throw ScimException.InvalidValue($"\"{path}\" must be an integer.");
            case AttributeType.Decimal:
                if (FilterEvaluator.TryNumber(scalar, out var number)) return JsonValue.Create(number);
                throw ScimException.InvalidValue($"\"{path}\" must be a number.");
            case AttributeType.DateTime:
                if (kind == JsonValueKind.String)
                {
                    var text = scalar.GetValue<string>().Trim();
                    if (text.Length == 0) return null;
                    if (FilterEvaluator.TryDateTime(text, out var instant))
                    {
                        return JsonValue.Create(instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                    }
                }
                throw ScimException.InvalidValue($"\"{path}\" must be an ISO 8601 date-time.");
            default:
                var identifier = ScimSchemas.IsIdentifier(definition);
                if (kind == JsonValueKind.String)
                {
                    var text = scalar.GetValue<string>();
                    if (identifier) CheckIdentifier(text, path);
                    return text.Length == 0 ? null : JsonValue.Create(text);
                }
                if (identifier) throw ScimException.InvalidValue($"\"{path}\" must be a string.");
                // Templated bodies send numbers and booleans where strings are declared; keep their text.
                return JsonValue.Create(scalar.ToJsonString());
        }
    }

    /// <summary>Throws when a multi-valued attribute is given more than <see cref="ScimInputLimits.MaxMultiValuedValues"/> values.</summary>
    public static void CheckValueCount(int count, string path)
    {
        if (count > ScimInputLimits.MaxMultiValuedValues)
        {
            throw ScimException.InvalidValue($"\"{path}\" holds more than {ScimInputLimits.MaxMultiValuedValues} values.");
        }
    }

    /// <summary>userName, displayName and externalId are indexed and copied: bounded, and printable.</summary>
    private static void CheckIdentifier(string text, string path)
    {
        if (text.Length > ScimInputLimits.MaxIdentifierLength)
        {
            throw ScimException.InvalidValue($"\"{path}\" is {text.Length} characters long; at most {ScimInputLimits.MaxIdentifierLength} are accepted.");
        }
        foreach (var c in text)
        {
            if (char.IsControl(c)) throw ScimException.InvalidValue($"\"{path}\" must not contain control characters.");
        }
    }

    private static JsonNode? CoerceComplex(JsonNode value, AttributeDefinition definition, string path)
    {
        if (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String && definition.FindSubAttribute("value") is { } valueAttribute)
        {
            // "manager": "id" or a bare email string: the value sub-attribute alone.
            var coerced = CoerceSingle(scalar, valueAttribute, $"{path}.value");
            if (coerced is null) return null;
            var wrapped = JsonNodes.NewObject();
            wrapped["value"] = coerced;
            return wrapped;
        }
        if (value is not JsonObject source)
        {
            throw ScimException.InvalidValue($"\"{path}\" is complex and takes an object.");
        }
        var result = JsonNodes.NewObject();
        foreach (var (key, subValue) in source)
        {
            var subDefinition = definition.FindSubAttribute(key);
            if (subDefinition?.Mutability == Mutability.ReadOnly) continue;
            var coerced = subDefinition is null
                ? (IsNull(subValue) ? null : subValue!.DeepClone())
                : subValue is null ? null : CoerceSingle(subValue, subDefinition, $"{path}.{subDefinition.Name}");
            if (coerced is not null) JsonNodes.Set(result, subDefinition?.Name ?? key, coerced);
        }
        return result.Count == 0 ? null : result;
    }

    private static IEnumerable<JsonNode> SplitMultiValued(JsonNode value)
    {
        if (value is JsonArray array)
        {
            foreach (var item in array) if (!IsNull(item)) yield return item!;
            yield break;
        }
        if (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String)
        {
            // OneLogin sends a multi-valued parameter as one ";"-joined string.
            foreach (var part in scalar.GetValue<string>().Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                yield return JsonValue.Create(part);
            }
            yield break;
        }
        yield return value;
    }

    public static bool IsNull(JsonNode? value)
        => value is null || (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.Null);

    /// <summary>
    /// RFC 7643 §2.4: "primary" true appears at most once. The preferred element (the one just written) keeps
    /// it; otherwise the last one marked does.
    /// </summary>
    public static void EnforceSinglePrimary(JsonArray items, int? preferredIndex)
    {
        var keep = -1;
        if (preferredIndex is { } preferred && IsPrimary(items[preferred])) keep = preferred;
        else
        {
            for (var i = items.Count - 1; i >= 0; i--)
            {
                if (IsPrimary(items[i])) { keep = i; break; }
            }
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (i != keep && IsPrimary(items[i])) JsonNodes.Set(items[i]!.AsObject(), "primary", false);
        }
    }

    public static bool IsPrimary(JsonNode? item)
        => item is JsonObject element && JsonNodes.TryGetBoolean(JsonNodes.Get(element, "primary"), out var primary) && primary;
}
