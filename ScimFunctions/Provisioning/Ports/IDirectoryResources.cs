namespace ScimFunctions.Provisioning.Ports;

/// <summary>What the SCIM use cases need of storage: the users, the groups and the memberships of every
/// directory. A directory id selects what a call may touch; nothing crosses directories.</summary>
public interface IDirectoryResources
{
    IResourceDocuments Users { get; }
    IResourceDocuments Groups { get; }
    IGroupMemberships Memberships { get; }
}
