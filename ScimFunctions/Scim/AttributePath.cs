using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim;

/// <summary>
/// An RFC 7644 attribute path: an optional schema URN, an attribute name and an optional sub-attribute
/// (<c>urn:...:enterprise:2.0:User:manager.value</c>, <c>name.givenName</c>, <c>userName</c>).
/// </summary>
public sealed record AttributePath(string? SchemaUrn, string Name, string? SubAttribute = null)
{
    public static bool TryParse(string text, out AttributePath path)
    {
        path = null!;
        if (string.IsNullOrEmpty(text)) return false;
        string? urn = null;
        var rest = text;
        if (ResourceSchema.IsUrn(text))
        {
            var lastColon = text.LastIndexOf(':');
            urn = text[..lastColon];
            rest = text[(lastColon + 1)..];
            if (urn.Length <= "urn:".Length || !IsUrnText(urn)) return false;
        }
        var dot = rest.IndexOf('.');
        var name = dot < 0 ? rest : rest[..dot];
        var sub = dot < 0 ? null : rest[(dot + 1)..];
        if (!IsAttributeName(name) || (sub is not null && !IsAttributeName(sub))) return false;
        path = new AttributePath(urn, name, sub);
        return true;
    }

    public static AttributePath Parse(string text)
        => TryParse(text, out var path) ? path : throw ScimException.InvalidPath($"\"{text}\" is not a valid attribute path.");

    /// <summary>ATTRNAME = ALPHA *(nameChar), plus "$ref" (RFC 7643 §2.1).</summary>
    public static bool IsAttributeName(string name)
    {
        if (name.Length == 0) return false;
        if (name.Equals("$ref", StringComparison.OrdinalIgnoreCase)) return true;
        if (!char.IsAsciiLetter(name[0])) return false;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_') return false;
        }
        return true;
    }

    private static bool IsUrnText(string urn)
    {
        foreach (var c in urn)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '[' or ']' or '(' or ')') return false;
        }
        return !urn.EndsWith(':') && !urn.Contains("::", StringComparison.Ordinal);
    }

    public override string ToString()
    {
        var attribute = SubAttribute is null ? Name : $"{Name}.{SubAttribute}";
        return SchemaUrn is null ? attribute : $"{SchemaUrn}:{attribute}";
    }
}
