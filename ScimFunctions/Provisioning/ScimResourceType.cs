using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim.Schema;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>What differs between /Users and /Groups above storage: the schema, the store, and which
/// attribute is read from membership rows rather than from the document.</summary>
public sealed class ScimResourceType
{
    public static readonly ScimResourceType User = new(ResourceSchemas.User, ResourceKind.User, store => store.Users);
    public static readonly ScimResourceType Group = new(ResourceSchemas.Group, ResourceKind.Group, store => store.Groups);

    private readonly Func<IDirectoryResources, IResourceDocuments> _storeOf;

    private ScimResourceType(ResourceSchema schema, ResourceKind kind, Func<IDirectoryResources, IResourceDocuments> storeOf)
    {
        Schema = schema;
        Kind = kind;
        _storeOf = storeOf;
    }

    public ResourceSchema Schema { get; }
    public ResourceKind Kind { get; }

    /// <summary><c>groups</c> of a User, <c>members</c> of a Group.</summary>
    public string MembershipAttribute => Kind.MembershipAttribute;

    public IResourceDocuments StoreIn(IDirectoryResources store) => _storeOf(store);

    public override string ToString() => Schema.Name;
}
