using System.Text.Json.Nodes;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim;

/// <summary>
/// Where an attribute path points: the extension object holding it (null for core and common attributes),
/// the attribute's canonical name and definition, and the sub-attribute's. Definitions are null for
/// attributes no schema declares (custom attributes are kept and handled as untyped).
/// </summary>
public readonly record struct AttributeLocation(
    string? ExtensionKey,
    string Name,
    AttributeDefinition? Definition,
    string? SubAttribute,
    AttributeDefinition? SubDefinition)
{
    /// <summary>The definition of what the path finally names: the sub-attribute's if there is one.</summary>
    public AttributeDefinition? TargetDefinition => SubAttribute is null ? Definition : SubDefinition;
}

public static class AttributeResolver
{
    /// <summary>Resolves a path against a resource type. URNs are matched case-insensitively.</summary>
    public static AttributeLocation Resolve(AttributePath path, ResourceSchema? schema)
    {
        if (path.SchemaUrn is null || IsCoreUrn(path.SchemaUrn, schema))
        {
            var definition = schema?.FindTopLevelAttribute(path.Name);
            return WithSub(null, path, definition);
        }
        var extension = schema?.FindExtension(path.SchemaUrn);
        return WithSub(extension?.Id ?? path.SchemaUrn, path, extension?.FindAttribute(path.Name));
    }

    /// <summary>Resolves a path inside a value filter (<c>emails[type eq "work"]</c>): names are sub-attributes of
    /// <paramref name="parent"/>; a redundant parent prefix (<c>emails.type</c>) is accepted.</summary>
    public static AttributeLocation ResolveInValue(AttributePath path, AttributeDefinition? parent, string parentName)
    {
        if (path.SubAttribute is not null && path.Name.Equals(parentName, StringComparison.OrdinalIgnoreCase))
        {
            path = new AttributePath(null, path.SubAttribute);
        }
        return WithSub(null, path, parent?.FindSubAttribute(path.Name));
    }

    /// <summary>The object that holds the attribute: the resource itself, or its extension object if present.</summary>
    public static JsonObject? Container(JsonObject resource, AttributeLocation location)
        => location.ExtensionKey is null ? resource : JsonNodes.Get(resource, location.ExtensionKey) as JsonObject;

    private static bool IsCoreUrn(string urn, ResourceSchema? schema)
        => schema?.IsCoreUrn(urn)
           ?? (urn.Equals(ScimConstants.UserSchema, StringComparison.OrdinalIgnoreCase)
               || urn.Equals(ScimConstants.GroupSchema, StringComparison.OrdinalIgnoreCase));

    private static AttributeLocation WithSub(string? extensionKey, AttributePath path, AttributeDefinition? definition)
    {
        var subDefinition = path.SubAttribute is null ? null : definition?.FindSubAttribute(path.SubAttribute);
        return new AttributeLocation(
            extensionKey,
            definition?.Name ?? path.Name,
            definition,
            path.SubAttribute is null ? null : subDefinition?.Name ?? path.SubAttribute,
            subDefinition);
    }
}
