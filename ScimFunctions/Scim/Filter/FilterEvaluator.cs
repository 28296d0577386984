using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim.Filter;

/// <summary>
/// Evaluates a filter over one SCIM resource (RFC 7644 §3.4.2.2). A multi-valued attribute matches when any
/// value does; <c>ne</c> is the negation of <c>eq</c>, so an absent attribute is "not equal" to anything.
/// Type mismatches that validation did not catch (untyped custom attributes) simply do not match.
/// </summary>
internal static class FilterEvaluator
{
    public static bool Evaluate(FilterNode node, JsonObject resource, ResourceSchema? schema)
        => Evaluate(node, new Scope(resource, schema, null, null));

    /// <summary>Evaluates a value filter against one element of multi-valued attribute <paramref name="parentName"/>.</summary>
    public static bool EvaluateInValue(FilterNode node, JsonObject element, ResourceSchema? schema, AttributeDefinition? parent, string parentName)
        => Evaluate(node, new Scope(element, schema, parent, parentName));

    private readonly record struct Scope(JsonObject Object, ResourceSchema? Schema, AttributeDefinition? Parent, string? ParentName)
    {
        public AttributeLocation Resolve(AttributePath path)
            => ParentName is null ? AttributeResolver.Resolve(path, Schema) : AttributeResolver.ResolveInValue(path, Parent, ParentName);

        public JsonObject? Container(AttributeLocation location)
            => ParentName is null ? AttributeResolver.Container(Object, location) : Object;
    }

    private static bool Evaluate(FilterNode node, Scope scope)
    {
        switch (node)
        {
            case AndNode and:
                foreach (var operand in and.Operands)
                {
                    if (!Evaluate(operand, scope)) return false;
                }
                return true;
            case OrNode or:
                foreach (var operand in or.Operands)
                {
                    if (Evaluate(operand, scope)) return true;
                }
                return false;
            case NotNode not:
                return !Evaluate(not.Operand, scope);
            case ComparisonNode comparison:
                return EvaluateComparison(comparison, scope);
            case ValuePathNode valuePath:
                return EvaluateValuePath(valuePath, scope);
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "Unknown filter node.");
        }
    }

    private static bool EvaluateValuePath(ValuePathNode valuePath, Scope scope)
    {
        var location = scope.Resolve(valuePath.Path);
        var container = scope.Container(location);
        if (container is null) return false;
        foreach (var item in Items(JsonNodes.Get(container, location.Name)))
        {
            if (item is JsonObject element
                && Evaluate(valuePath.Filter, new Scope(element, scope.Schema, location.Definition, location.Name)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool EvaluateComparison(ComparisonNode comparison, Scope scope)
    {
        var location = scope.Resolve(comparison.Path);
        var container = scope.Container(location);
        var attribute = container is null ? null : JsonNodes.Get(container, location.Name);

        if (comparison.Operator == ComparisonOperator.Pr)
        {
            foreach (var (value, _) in Values(attribute, location)) if (!JsonNodes.IsNullOrEmpty(value)) return true;
            return false;
        }
        var literal = comparison.Value!;
        if (literal.Kind == LiteralKind.Null)
        {
            var present = false;
            foreach (var (value, _) in Values(attribute, location)) present |= !JsonNodes.IsNullOrEmpty(value);
            return comparison.Operator switch
            {
                ComparisonOperator.Eq => !present,
                ComparisonOperator.Ne => present,
                _ => false,
            };
        }
        if (comparison.Operator == ComparisonOperator.Ne)
        {
            foreach (var (value, definition) in Values(attribute, location))
            {
                if (Compare(value, definition, ComparisonOperator.Eq, literal)) return false;
            }
            return true;
        }
        foreach (var (value, definition) in Values(attribute, location))
        {
            if (Compare(value, definition, comparison.Operator, literal)) return true;
        }
        return false;
    }

    /// <summary>The values a path names: each element of a multi-valued attribute, or each element's sub-attribute.</summary>
    private static IEnumerable<(JsonNode Value, AttributeDefinition? Definition)> Values(JsonNode? attribute, AttributeLocation location)
    {
        if (location.SubAttribute is null)
        {
            foreach (var item in Items(attribute)) yield return (item, location.Definition);
            yield break;
        }
        foreach (var item in Items(attribute))
        {
            if (item is not JsonObject element) continue;
            foreach (var value in Items(JsonNodes.Get(element, location.SubAttribute))) yield return (value, location.SubDefinition);
        }
    }

    internal static IEnumerable<JsonNode> Items(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array) if (item is not null) yield return item;
        }
        else if (node is not null)
        {
            yield return node;
        }
    }

    private static bool Compare(JsonNode value, AttributeDefinition? definition, ComparisonOperator op, FilterLiteral literal)
    {
        if (value is JsonObject complex)
        {
            // A complex value without a sub-attribute compares by its "value" sub-attribute.
            var inner = JsonNodes.Get(complex, "value");
            if (inner is null) return false;
            return Compare(inner, definition?.FindSubAttribute("value"), op, literal);
        }
        if (value is not JsonValue scalar || scalar.GetValueKind() == JsonValueKind.Null) return false;

        var type = definition?.Type ?? InferType(scalar);
        switch (type)
        {
            case AttributeType.Boolean:
                if (!JsonNodes.TryGetBoolean(scalar, out var actual) || !TryLiteralBoolean(literal, out var expected)) return false;
                return op == ComparisonOperator.Eq && actual == expected;
            case AttributeType.Integer or AttributeType.Decimal when op is not (ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew):
                if (!TryNumber(scalar, out var number) || !TryLiteralNumber(literal, out var literalNumber)) return false;
                return Ordered(number.CompareTo(literalNumber), op);
            case AttributeType.DateTime when op is not (ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew):
                if (!TryDateTime(TextOf(scalar), out var instant) || !TryDateTime(literal.Text, out var literalInstant)) return false;
                return Ordered(instant.CompareTo(literalInstant), op);
            default:
                var comparison = definition?.CaseExact == true ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
                var text = TextOf(scalar);
                return op switch
                {
                    ComparisonOperator.Co => text.Contains(literal.Text, comparison),
                    ComparisonOperator.Sw => text.StartsWith(literal.Text, comparison),
                    ComparisonOperator.Ew => text.EndsWith(literal.Text, comparison),
                    _ => Ordered(string.Compare(text, literal.Text, comparison), op),
                };
        }
    }

    private static bool Ordered(int order, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Eq => order == 0,
        ComparisonOperator.Gt => order > 0,
        ComparisonOperator.Ge => order >= 0,
        ComparisonOperator.Lt => order < 0,
        ComparisonOperator.Le => order <= 0,
        _ => false,
    };

    private static AttributeType InferType(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => AttributeType.Boolean,
        JsonValueKind.Number => AttributeType.Decimal,
        _ => AttributeType.String,
    };

    internal static string TextOf(JsonValue value)
        => value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    internal static bool TryLiteralBoolean(FilterLiteral literal, out bool value)
    {
        value = literal.Kind == LiteralKind.True;
        return literal.Kind is LiteralKind.True or LiteralKind.False
            || (literal.Kind == LiteralKind.String && bool.TryParse(literal.Text.Trim(), out value));
    }

    internal static bool TryLiteralNumber(FilterLiteral literal, out decimal value)
    {
        value = 0;
        return literal.Kind is LiteralKind.Number or LiteralKind.String
            && decimal.TryParse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    internal static bool TryNumber(JsonValue value, out decimal number)
    {
        number = 0;
        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.TryGetValue(out number)
                || decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            JsonValueKind.String => decimal.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    internal static bool TryDateTime(string text, out DateTimeOffset instant)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
}
