using System.Text.Json.Nodes;

namespace ScimFunctions.Scim.Schema;

/// <summary>An RFC 7643 schema: a URN, a name and its attributes.</summary>
public sealed class SchemaDefinition
{
    private readonly Dictionary<string, AttributeDefinition> _attributesByName;

    public SchemaDefinition(string id, string name, string description, IReadOnlyList<AttributeDefinition> attributes)
    {
        Id = id;
        Name = name;
        Description = description;
        Attributes = attributes;
        _attributesByName = attributes.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
    }

    public string Id { get; }
    public string Name { get; }
    public string Description { get; }
    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    public AttributeDefinition? FindAttribute(string name) => _attributesByName.GetValueOrDefault(name);

    /// <summary>The RFC 7643 §7 representation; <paramref name="locationBase"/> is the /Schemas URL, if known.</summary>
    public JsonObject ToJson(string? locationBase = null)
    {
        var meta = new JsonObject { ["resourceType"] = "Schema" };
        if (locationBase is not null) meta["location"] = $"{locationBase.TrimEnd('/')}/{Id}";
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimConstants.SchemaSchema),
            ["id"] = Id,
            ["name"] = Name,
            ["description"] = Description,
            ["attributes"] = new JsonArray(Attributes.Select(a => (JsonNode?)a.ToJson()).ToArray()),
            ["meta"] = meta,
        };
    }

    public override string ToString() => Id;
}
