namespace ScimFunctions.Provisioning;

/// <summary>The <c>attributes</c> / <c>excludedAttributes</c> of a request (RFC 7644 §3.4.2.5).</summary>
public sealed record AttributeSelection(IReadOnlyList<string> Attributes, IReadOnlyList<string> ExcludedAttributes)
{
    public static AttributeSelection All { get; } = new([], []);

    /// <summary>Whether the attribute is in the response under the usual rules.</summary>
    public bool Returns(string attribute, ScimResourceType type) =>
        Scim.Projection.IsReturned(attribute, Attributes, ExcludedAttributes, type.Schema);
}
