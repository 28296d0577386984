using ScimFunctions.Scim.Schema;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// Where a request is served: the directory whose partition it may touch, and that directory's SCIM base URL
/// (<c>{scheme}://{host}/scim/{directoryId}/v2</c>) from which <c>meta.location</c> and <c>$ref</c> are made.
/// </summary>
public sealed record ScimScope(string DirectoryId, string BaseUrl)
{
    public string LocationOf(ScimResourceType type, string id) => $"{BaseUrl.TrimEnd('/')}{type.Schema.Endpoint}/{id}";
}

/// <summary>What differs between /Users and /Groups above storage: the schema, the store, and which
/// attribute is read from membership rows rather than from the document.</summary>
public sealed class ScimResourceType
{
    public static readonly ScimResourceType User = new(ResourceSchemas.User, ResourceKind.User, store => store.Users);
    public static readonly ScimResourceType Group = new(ResourceSchemas.Group, ResourceKind.Group, store => store.Groups);

    private readonly Func<ScimStore, ResourceStore> _storeOf;

    private ScimResourceType(ResourceSchema schema, ResourceKind kind, Func<ScimStore, ResourceStore> storeOf)
    {
        Schema = schema;
        Kind = kind;
        _storeOf = storeOf;
    }

    public ResourceSchema Schema { get; }
    public ResourceKind Kind { get; }

    /// <summary><c>groups</c> of a User, <c>members</c> of a Group.</summary>
    public string MembershipAttribute => Kind.MembershipAttribute;

    public ResourceStore StoreIn(ScimStore store) => _storeOf(store);

    public override string ToString() => Schema.Name;
}

/// <summary>The <c>attributes</c> / <c>excludedAttributes</c> of a request (RFC 7644 §3.4.2.5).</summary>
public sealed record AttributeSelection(IReadOnlyList<string> Attributes, IReadOnlyList<string> ExcludedAttributes)
{
    public static AttributeSelection All { get; } = new([], []);

    /// <summary>Whether the attribute is in the response under the usual rules.</summary>
    public bool Returns(string attribute, ScimResourceType type) =>
        Scim.Projection.IsReturned(attribute, Attributes, ExcludedAttributes, type.Schema);

    /// <summary>Whether the client named the attribute in <c>attributes</c> (not merely left it unexcluded).</summary>
    public bool AsksFor(string attribute, ScimResourceType type) =>
        Attributes.Count > 0 && Scim.Projection.IsReturned(attribute, Attributes, [], type.Schema);
}

/// <summary>Limits stated in /ServiceProviderConfig and enforced here.</summary>
public static class ScimLimits
{
    /// <summary>Request bodies above this are refused with 413 before anything is parsed or stored.</summary>
    public const int MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Resources in a list page when the client gives no <c>count</c>.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The most resources one list response holds (<c>filter.maxResults</c>); a larger <c>count</c> is lowered to it.</summary>
    public const int MaxPageSize = 200;
}
