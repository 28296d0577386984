using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimFunctions.Scim.Schema;

public sealed record SchemaExtension(SchemaDefinition Schema, bool Required);

/// <summary>
/// A resource type (RFC 7643 §6): its core schema, its extensions and the common attributes. This is what
/// validation, filtering, PATCH and projection resolve attribute paths against.
/// </summary>
public sealed class ResourceSchema
{
    private readonly Dictionary<string, AttributeDefinition> _commonByName;

    public ResourceSchema(string name, string endpoint, string description, SchemaDefinition core, IReadOnlyList<SchemaExtension> extensions)
    {
        Name = name;
        Endpoint = endpoint;
        Description = description;
        Core = core;
        Extensions = extensions;
        CommonAttributes = ScimSchemas.CommonAttributes;
        _commonByName = CommonAttributes.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }
    public string Endpoint { get; }
    public string Description { get; }
    public SchemaDefinition Core { get; }
    public IReadOnlyList<SchemaExtension> Extensions { get; }
    public IReadOnlyList<AttributeDefinition> CommonAttributes { get; }

    public SchemaDefinition? FindExtension(string urn)
        => Extensions.FirstOrDefault(e => e.Schema.Id.Equals(urn, StringComparison.OrdinalIgnoreCase))?.Schema;

    public bool IsCoreUrn(string urn) => Core.Id.Equals(urn, StringComparison.OrdinalIgnoreCase);

    /// <summary>A top-level (not extension) attribute: core schema first, then id/externalId/meta.</summary>
    public AttributeDefinition? FindTopLevelAttribute(string name)
        => Core.FindAttribute(name) ?? _commonByName.GetValueOrDefault(name);

    /// <summary>
    /// Sets <c>schemas</c> to the core URN, every extension key present in the document and any other
    /// schema URNs the document already listed (unknown extensions are kept, not dropped).
    /// </summary>
    public void RefreshSchemas(JsonObject resource)
    {
        var urns = new List<string> { Core.Id };
        var seen = new HashSet<string>(urns, StringComparer.OrdinalIgnoreCase);
        void AddUrn(string urn)
        {
            if (seen.Add(urn)) urns.Add(urn);
        }
        if (JsonNodes.Get(resource, "schemas") is JsonArray listed)
        {
            foreach (var item in listed)
            {
                if (!JsonNodes.TryGetString(item, out var urn) || string.IsNullOrWhiteSpace(urn)) continue;
                var known = FindExtension(urn);
                // A known extension stays listed only while the document holds data for it.
                if (known is not null && JsonNodes.Get(resource, known.Id) is not JsonObject) continue;
                AddUrn(known?.Id ?? urn);
            }
        }
        foreach (var (key, value) in resource)
        {
            if (value is JsonObject && IsSchemaKey(key)) AddUrn(FindExtension(key)?.Id ?? key);
        }
        JsonNodes.Set(resource, "schemas", new JsonArray(urns.Select(u => (JsonNode?)u).ToArray()));
    }

    /// <summary>The RFC 7643 §6 ResourceType representation served by /ResourceTypes.</summary>
    public JsonObject ToResourceTypeJson(string? locationBase = null)
    {
        var meta = new JsonObject { ["resourceType"] = "ResourceType" };
        if (locationBase is not null) meta["location"] = $"{locationBase.TrimEnd('/')}/{Name}";
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimConstants.ResourceTypeSchema),
            ["id"] = Name,
            ["name"] = Name,
            ["endpoint"] = Endpoint,
            ["description"] = Description,
            ["schema"] = Core.Id,
        };
        if (Extensions.Count > 0)
        {
            json["schemaExtensions"] = new JsonArray(Extensions
                .Select(e => (JsonNode?)new JsonObject { ["schema"] = e.Schema.Id, ["required"] = e.Required })
                .ToArray());
        }
        json["meta"] = meta;
        return json;
    }

    internal static bool IsUrn(string key) => key.StartsWith("urn:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Keys that name a schema rather than an attribute: URNs, and URLs such as Entra ID's ADSCIM schema.</summary>
    internal static bool IsSchemaKey(string key) => IsUrn(key)
        || key.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Name;
}

/// <summary>The resource types this service serves.</summary>
public static class ResourceSchemas
{
    public static ResourceSchema User { get; } = new("User", "/Users", "User Account", ScimSchemas.User,
        [new SchemaExtension(ScimSchemas.EnterpriseUser, Required: false)]);

    public static ResourceSchema Group { get; } = new("Group", "/Groups", "Group", ScimSchemas.Group, []);

    public static IReadOnlyList<ResourceSchema> All { get; } = [User, Group];

    public static ResourceSchema? FindByName(string name)
        => All.FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
