using System.Text.Json.Nodes;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim.Filter;

/// <summary>A parsed, validated RFC 7644 filter, ready to evaluate against resources of one type.</summary>
public sealed class ScimFilter
{
    public const int MaxLength = FilterParser.MaxLength;
    public const int MaxDepth = FilterParser.MaxDepth;

    private ScimFilter(FilterNode root, ResourceSchema? schema)
    {
        Root = root;
        Schema = schema;
    }

    public FilterNode Root { get; }
    public ResourceSchema? Schema { get; }

    /// <summary>
    /// Parses filter text; with a schema, also checks that each comparison suits its attribute's type.
    /// Any problem is a <see cref="ScimException"/> 400 invalidFilter naming the position.
    /// </summary>
    public static ScimFilter Parse(string text, ResourceSchema? schema = null)
    {
        var root = FilterParser.Parse(text);
        if (schema is not null) FilterValidator.Validate(root, schema);
        return new ScimFilter(root, schema);
    }

    public static ScimFilter FromNode(FilterNode root, ResourceSchema? schema = null)
    {
        if (schema is not null) FilterValidator.Validate(root, schema);
        return new ScimFilter(root, schema);
    }

    public bool Matches(JsonObject resource) => FilterEvaluator.Evaluate(Root, resource, Schema);

    public override string ToString() => FilterPrinter.Print(Root);
}
