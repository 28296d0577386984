using Azure.Data.Tables;
using ScimFunctions.Provisioning.Ports;

namespace ScimFunctions.Storage;

/// <summary>
/// The SCIM data of every directory: <see cref="Users"/>, <see cref="Groups"/> and their
/// <see cref="Memberships"/>, in one table with one partition per directory (see <see cref="PartitionLayout"/>).
/// A directory id selects the partition; nothing crosses partitions, so one directory never sees another's data.
/// </summary>
public sealed class ScimStore : IDirectoryResources
{
    private readonly EnsuredTable _ensured;

    public ScimStore(TableServiceClient service, ScimStorageOptions options, TimeProvider? time = null)
    {
        _ensured = new EnsuredTable(service, options.TableName);
        Table = _ensured.Client;
        time ??= TimeProvider.System;
        Memberships = new MembershipStore(Table, options, time);
        var positions = new ListPositionsCache(Table, options, time);
        var cleanup = new MembershipCleanup(Table, time);
        Users = new ResourceStore(Table, ResourceKind.User, options, cleanup, positions, time);
        Groups = new ResourceStore(Table, ResourceKind.Group, options, cleanup, positions, time);
    }

    public ResourceStore Users { get; }
    public ResourceStore Groups { get; }
    public MembershipStore Memberships { get; }

    IResourceDocuments IDirectoryResources.Users => Users;
    IResourceDocuments IDirectoryResources.Groups => Groups;
    IGroupMemberships IDirectoryResources.Memberships => Memberships;

    /// <summary>The table itself, for the parts that keep their own rows in a directory's partition (roles, outbox).</summary>
    public TableClient Table { get; }

    /// <summary>Creates the table if needed, once per process (1 round trip the first time; retried after a failure).</summary>
    public Task EnsureTableAsync(CancellationToken cancellationToken = default) => _ensured.GetAsync(cancellationToken);
}
