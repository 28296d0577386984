using ScimFunctions.Provisioning.Ports;

namespace ScimFunctions.Tests.Provisioning;

/// <summary>In-memory ports for use-case tests where storage is not the point: they count what the use case
/// asks of storage. Versions are <c>W/"n"</c>, one more on every write.</summary>
public sealed class FakeDirectoryResources : IDirectoryResources
{
    public FakeDocuments FakeUsers { get; } = new("User");
    public FakeDocuments FakeGroups { get; } = new("Group");
    public FakeMemberships FakeMemberships { get; }

    public FakeDirectoryResources() => FakeMemberships = new(FakeGroups);

    public IResourceDocuments Users => FakeUsers;
    public IResourceDocuments Groups => FakeGroups;
    public IGroupMemberships Memberships => FakeMemberships;
}
