using System.Text.Json.Nodes;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim;

/// <summary>
/// What <c>sortBy</c> names in one resource schema, and how its values compare. An attribute the schema lacks keys
/// every resource of it as missing (so they sort last ascending), which lets one <c>sortBy</c> order Users and
/// Groups together.
/// </summary>
public sealed class SortKeys
{
    private readonly AttributeLocation _location;

    private SortKeys(AttributeLocation location)
    {
        _location = location;
        Comparer = new SortKeyComparer(location.TargetDefinition?.CaseExact == true);
    }

    public IComparer<IComparable?> Comparer { get; }

    /// <summary>Whether the schema defines the attribute (its values then say how strings compare).</summary>
    public bool Defined => _location.TargetDefinition is not null;

    public static SortKeys For(string sortBy, ResourceSchema schema)
    {
        if (!AttributePath.TryParse(ScimNormaliser.MapLegacyUrnPrefix(sortBy.Trim(), schema), out var path))
        {
            throw ScimException.InvalidValue($"sortBy \"{sortBy}\" is not an attribute path.");
        }
        return new SortKeys(AttributeResolver.Resolve(path, schema));
    }

    public IComparable? Of(JsonObject resource) => ResourceSorter.SortKey(resource, _location);
}
