using System.Globalization;
using System.Text;

namespace ScimFunctions.Scim.Filter;

/// <summary>Writes an AST as canonical filter text that <see cref="ScimFilter.Parse"/> reads back to an equal AST.</summary>
public static class FilterPrinter
{
    public static string Print(FilterNode node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(FilterNode node, StringBuilder builder)
    {
        switch (node)
        {
            case ComparisonNode comparison:
                builder.Append(comparison.Path).Append(' ').Append(comparison.Operator.ToString().ToLowerInvariant());
                if (comparison.Value is not null) WriteLiteral(comparison.Value, builder.Append(' '));
                break;
            case ValuePathNode valuePath:
                builder.Append(valuePath.Path).Append('[');
                Write(valuePath.Filter, builder);
                builder.Append(']');
                break;
            case NotNode not:
                builder.Append("not (");
                Write(not.Operand, builder);
                builder.Append(')');
                break;
            case AndNode and:
                WriteJoined(and.Operands, " and ", operand => operand is AndNode or OrNode, builder);
                break;
            case OrNode or:
                WriteJoined(or.Operands, " or ", operand => operand is OrNode, builder);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "Unknown filter node.");
        }
    }

    private static void WriteJoined(IReadOnlyList<FilterNode> operands, string separator, Func<FilterNode, bool> needsParentheses, StringBuilder builder)
    {
        for (var i = 0; i < operands.Count; i++)
        {
            if (i > 0) builder.Append(separator);
            var parenthesise = needsParentheses(operands[i]);
            if (parenthesise) builder.Append('(');
            Write(operands[i], builder);
            if (parenthesise) builder.Append(')');
        }
    }

    private static void WriteLiteral(FilterLiteral literal, StringBuilder builder)
    {
        if (literal.Kind != LiteralKind.String)
        {
            builder.Append(literal.Text);
            return;
        }
        builder.Append('"');
        foreach (var c in literal.Text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < ' ') builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
    }
}
