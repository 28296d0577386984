using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim.Filter;

/// <summary>An equality storage can answer with a point read: <c>userName eq "x"</c> and the like.</summary>
/// <param name="Attribute">Canonical attribute name: id, userName, externalId or displayName.</param>
/// <param name="CaseExact">False for userName and displayName: the index must be looked up case-insensitively.</param>
public sealed record IndexedEquality(string Attribute, string Value, bool CaseExact);

/// <summary>
/// Recognises filters storage can serve from index rows: one indexed equality, or an <c>and</c> whose operands
/// include some. The caller reads the candidates through the index and then evaluates the whole filter in
/// memory (or at least <see cref="IndexableMatch.Remainder"/>), so unindexed parts are never lost.
/// </summary>
public static class IndexableFilter
{
    public static IReadOnlyList<string> IndexedAttributes { get; } = ["id", "userName", "externalId", "displayName"];

    public static bool TryExtract(ScimFilter filter, out IndexableMatch match)
    {
        match = null!;
        var operands = filter.Root is AndNode and ? and.Operands : [filter.Root];
        var equalities = new List<IndexedEquality>();
        var rest = new List<FilterNode>();
        foreach (var operand in operands)
        {
            if (TryEquality(operand, filter.Schema) is { } equality) equalities.Add(equality);
            else rest.Add(operand);
        }
        if (equalities.Count == 0) return false;
        FilterNode? remainder = rest.Count switch
        {
            0 => null,
            1 => rest[0],
            _ => new AndNode(rest),
        };
        match = new IndexableMatch(equalities, remainder);
        return true;
    }

    private static IndexedEquality? TryEquality(FilterNode node, ResourceSchema? schema)
    {
        if (node is not ComparisonNode { Operator: ComparisonOperator.Eq, Value.Kind: LiteralKind.String } comparison
            || comparison.Path.SubAttribute is not null)
        {
            return null;
        }
        var location = AttributeResolver.Resolve(comparison.Path, schema);
        if (location.ExtensionKey is not null) return null;
        var name = IndexedAttributes.FirstOrDefault(a => a.Equals(location.Name, StringComparison.OrdinalIgnoreCase));
        if (name is null) return null;
        var caseExact = location.Definition?.CaseExact ?? name is "id" or "externalId";
        return new IndexedEquality(name, comparison.Value.Text, caseExact);
    }
}

/// <param name="Equalities">Every indexed equality the filter requires (all must hold).</param>
/// <param name="Remainder">The rest of the filter, or null when the equalities are the whole filter.</param>
public sealed record IndexableMatch(IReadOnlyList<IndexedEquality> Equalities, FilterNode? Remainder);
