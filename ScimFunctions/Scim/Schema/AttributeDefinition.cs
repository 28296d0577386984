using System.Text.Json.Nodes;

namespace ScimFunctions.Scim.Schema;

public enum AttributeType { String, Boolean, Decimal, Integer, DateTime, Binary, Reference, Complex }

public enum Mutability { ReadOnly, ReadWrite, Immutable, WriteOnly }

public enum Returned { Always, Never, Default, Request }

public enum Uniqueness { None, Server, Global }

/// <summary>One attribute of an RFC 7643 schema with all of its characteristics (§2.2, §7).</summary>
public sealed class AttributeDefinition
{
    private readonly Dictionary<string, AttributeDefinition> _subAttributesByName;

    public AttributeDefinition(
        string name,
        AttributeType type = AttributeType.String,
        string description = "",
        bool multiValued = false,
        bool required = false,
        bool caseExact = false,
        Mutability mutability = Mutability.ReadWrite,
        Returned returned = Returned.Default,
        Uniqueness uniqueness = Uniqueness.None,
        IReadOnlyList<string>? canonicalValues = null,
        IReadOnlyList<string>? referenceTypes = null,
        IReadOnlyList<AttributeDefinition>? subAttributes = null)
    {
        Name = name;
        Type = type;
        Description = description;
        MultiValued = multiValued;
        Required = required;
        CaseExact = caseExact;
        Mutability = mutability;
        Returned = returned;
        Uniqueness = uniqueness;
        CanonicalValues = canonicalValues ?? [];
        ReferenceTypes = referenceTypes ?? [];
        SubAttributes = subAttributes ?? [];
        _subAttributesByName = SubAttributes.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }
    public AttributeType Type { get; }
    public string Description { get; }
    public bool MultiValued { get; }
    public bool Required { get; }
    public bool CaseExact { get; }
    public Mutability Mutability { get; }
    public Returned Returned { get; }
    public Uniqueness Uniqueness { get; }
    public IReadOnlyList<string> CanonicalValues { get; }
    public IReadOnlyList<string> ReferenceTypes { get; }
    public IReadOnlyList<AttributeDefinition> SubAttributes { get; }

    public bool IsComplex => Type == AttributeType.Complex;

    /// <summary>True for multi-valued complex attributes that carry a <c>primary</c> flag (emails, phoneNumbers...).</summary>
    public bool HasPrimary => IsComplex && MultiValued && FindSubAttribute("primary") is { Type: AttributeType.Boolean };

    public AttributeDefinition? FindSubAttribute(string name)
        => _subAttributesByName.GetValueOrDefault(name);

    /// <summary>The RFC 7643 §7 representation served by /Schemas.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["type"] = TypeName(Type),
            ["multiValued"] = MultiValued,
            ["description"] = Description,
            ["required"] = Required,
        };
        if (IsComplex)
        {
            json["subAttributes"] = new JsonArray(SubAttributes.Select(a => (JsonNode?)a.ToJson()).ToArray());
        }
        else
        {
            json["caseExact"] = CaseExact;
        }
        if (CanonicalValues.Count > 0)
        {
            json["canonicalValues"] = new JsonArray(CanonicalValues.Select(v => (JsonNode?)v).ToArray());
        }
        json["mutability"] = MutabilityName(Mutability);
        json["returned"] = Returned.ToString().ToLowerInvariant();
        if (!IsComplex && Type != AttributeType.Boolean)
        {
            json["uniqueness"] = Uniqueness.ToString().ToLowerInvariant();
        }
        if (Type == AttributeType.Reference)
        {
            json["referenceTypes"] = new JsonArray(ReferenceTypes.Select(v => (JsonNode?)v).ToArray());
        }
        return json;
    }

    public static string TypeName(AttributeType type) => type switch
    {
        AttributeType.DateTime => "dateTime",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string MutabilityName(Mutability mutability) => mutability switch
    {
        Mutability.ReadOnly => "readOnly",
        Mutability.ReadWrite => "readWrite",
        Mutability.Immutable => "immutable",
        Mutability.WriteOnly => "writeOnly",
        _ => throw new ArgumentOutOfRangeException(nameof(mutability)),
    };

    public override string ToString() => Name;
}
