namespace ScimFunctions.Scim.Filter;

public enum ComparisonOperator { Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le, Pr }

public enum LiteralKind { String, Number, True, False, Null }

/// <summary>A comparison value. <see cref="Text"/> is the unescaped string, or a number's JSON text.</summary>
public sealed record FilterLiteral(LiteralKind Kind, string Text)
{
    public static FilterLiteral String(string value) => new(LiteralKind.String, value);
    public static FilterLiteral Number(string jsonNumber) => new(LiteralKind.Number, jsonNumber);
    public static FilterLiteral Boolean(bool value) => value ? new(LiteralKind.True, "true") : new(LiteralKind.False, "false");
    public static FilterLiteral Null { get; } = new(LiteralKind.Null, "null");
}

/// <summary>The filter AST of RFC 7644 §3.4.2.2. Printing a node gives filter text that parses back to it.</summary>
public abstract record FilterNode
{
    public sealed override string ToString() => FilterPrinter.Print(this);
}

/// <summary><c>attrPath op value</c>, or <c>attrPath pr</c> (then <see cref="Value"/> is null).</summary>
public sealed record ComparisonNode(AttributePath Path, ComparisonOperator Operator, FilterLiteral? Value) : FilterNode;

/// <summary><c>attr[filter]</c>: some value of multi-valued <see cref="Path"/> satisfies <see cref="Filter"/>,
/// whose paths are relative to that value.</summary>
public sealed record ValuePathNode(AttributePath Path, FilterNode Filter) : FilterNode;

public sealed record NotNode(FilterNode Operand) : FilterNode;

/// <summary>Two or more operands; a chain <c>a and b and c</c> is one node, so chains never nest deeply.</summary>
public sealed record AndNode(IReadOnlyList<FilterNode> Operands) : FilterNode
{
    public bool Equals(AndNode? other) => other is not null && Operands.SequenceEqual(other.Operands);
    public override int GetHashCode() => Operands.Aggregate(17, (hash, operand) => HashCode.Combine(hash, operand));
}

public sealed record OrNode(IReadOnlyList<FilterNode> Operands) : FilterNode
{
    public bool Equals(OrNode? other) => other is not null && Operands.SequenceEqual(other.Operands);
    public override int GetHashCode() => Operands.Aggregate(31, (hash, operand) => HashCode.Combine(hash, operand));
}
