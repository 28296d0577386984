using ScimFunctions.Scim;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Provisioning.Search;

/// <summary>
/// Which resource types a root search filter can match at all. A filter that needs an attribute one type lacks
/// (a Group has no <c>userName</c>, a User no <c>members</c>) matches none of that type, so that type is not read.
/// "Lacks" means: the other type's schema declares the attribute and this one does not.
/// </summary>
public static class RootSearchFilter
{
    public static bool CanMatch(FilterNode node, ResourceSchema schema, ResourceSchema other) => node switch
    {
        ComparisonNode comparison => comparison.Operator == ComparisonOperator.Ne || !LacksAttribute(comparison.Path, schema, other),
        ValuePathNode valuePath => !LacksAttribute(valuePath.Path, schema, other),
        AndNode and => and.Operands.All(operand => CanMatch(operand, schema, other)),
        OrNode or => or.Operands.Any(operand => CanMatch(operand, schema, other)),
        // "not (userName eq x)" matches every group: only positive conditions on a lacking attribute rule a type out.
        _ => true,
    };

    private static bool LacksAttribute(AttributePath path, ResourceSchema schema, ResourceSchema other)
    {
        if (path.SchemaUrn is not null && !schema.IsCoreUrn(path.SchemaUrn) && !other.IsCoreUrn(path.SchemaUrn))
        {
            // An extension URN: lacking when only the other type has that extension.
            return schema.FindExtension(path.SchemaUrn) is null && other.FindExtension(path.SchemaUrn) is not null;
        }
        if (path.SchemaUrn is not null && other.IsCoreUrn(path.SchemaUrn)) return true;
        return schema.FindTopLevelAttribute(path.Name) is null && other.FindTopLevelAttribute(path.Name) is not null;
    }
}
