using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim.Filter;

/// <summary>
/// Rejects filters whose comparisons cannot apply to the schema's attribute types (RFC 7644 §3.4.2.2: e.g.
/// <c>gt</c> on a boolean), so a bad filter is a 400 even when no resource would have been compared.
/// </summary>
internal static class FilterValidator
{
    public static void Validate(FilterNode root, ResourceSchema schema)
    {
        // Explicit stack: the AST is already depth-bounded, but validation needs no recursion at all.
        var pending = new Stack<(FilterNode Node, AttributeDefinition? Parent, string? ParentName)>();
        pending.Push((root, null, null));
        while (pending.Count > 0)
        {
            var (node, parent, parentName) = pending.Pop();
            switch (node)
            {
                case AndNode and:
                    foreach (var operand in and.Operands) pending.Push((operand, parent, parentName));
                    break;
                case OrNode or:
                    foreach (var operand in or.Operands) pending.Push((operand, parent, parentName));
                    break;
                case NotNode not:
                    pending.Push((not.Operand, parent, parentName));
                    break;
                case ValuePathNode valuePath:
                    var location = Resolve(valuePath.Path, schema, parent, parentName);
                    if (location.Definition is { IsComplex: false, MultiValued: false } simple)
                    {
                        throw ScimException.InvalidFilter($"\"{simple.Name}\" is neither multi-valued nor complex, so it cannot take a value filter.");
                    }
                    pending.Push((valuePath.Filter, location.Definition, location.Name));
                    break;
                case ComparisonNode comparison:
                    ValidateComparison(comparison, Resolve(comparison.Path, schema, parent, parentName));
                    break;
            }
        }
    }

    private static AttributeLocation Resolve(AttributePath path, ResourceSchema schema, AttributeDefinition? parent, string? parentName)
        => parentName is null ? AttributeResolver.Resolve(path, schema) : AttributeResolver.ResolveInValue(path, parent, parentName);

    private static void ValidateComparison(ComparisonNode comparison, AttributeLocation location)
    {
        var definition = location.TargetDefinition;
        if (definition is null || comparison.Operator == ComparisonOperator.Pr) return;
        var literal = comparison.Value!;
        var name = comparison.Path.ToString();
        if (definition.IsComplex)
        {
            definition = definition.FindSubAttribute("value")
                ?? throw ScimException.InvalidFilter($"\"{name}\" is complex; compare one of its sub-attributes instead.");
        }
        if (literal.Kind == LiteralKind.Null)
        {
            if (comparison.Operator is not (ComparisonOperator.Eq or ComparisonOperator.Ne))
            {
                throw ScimException.InvalidFilter($"null can only be compared with eq or ne (\"{name}\").");
            }
            return;
        }
        var op = comparison.Operator.ToString().ToLowerInvariant();
        switch (definition.Type)
        {
            case AttributeType.Boolean:
                if (comparison.Operator is not (ComparisonOperator.Eq or ComparisonOperator.Ne))
                {
                    throw ScimException.InvalidFilter($"\"{op}\" cannot be applied to boolean attribute \"{name}\".");
                }
                if (!FilterEvaluator.TryLiteralBoolean(literal, out _))
                {
                    throw ScimException.InvalidFilter($"\"{name}\" is boolean; compare it with true or false.");
                }
                break;
            case AttributeType.Binary:
                if (comparison.Operator is ComparisonOperator.Gt or ComparisonOperator.Ge or ComparisonOperator.Lt or ComparisonOperator.Le)
                {
                    throw ScimException.InvalidFilter($"\"{op}\" cannot be applied to binary attribute \"{name}\".");
                }
                break;
            case AttributeType.DateTime:
                if (comparison.Operator is not (ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew)
                    && (literal.Kind != LiteralKind.String || !FilterEvaluator.TryDateTime(literal.Text, out _)))
                {
                    throw ScimException.InvalidFilter($"\"{name}\" is a dateTime; compare it with a quoted ISO 8601 date-time.");
                }
                break;
            case AttributeType.Integer or AttributeType.Decimal:
                if (comparison.Operator is not (ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew)
                    && !FilterEvaluator.TryLiteralNumber(literal, out _))
                {
                    throw ScimException.InvalidFilter($"\"{name}\" is numeric; compare it with a number.");
                }
                break;
        }
    }
}
