using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ScimFunctions.Provisioning.Ports;

namespace ScimFunctions.Storage;

/// <summary>
/// The SCIM data of every directory: <see cref="Users"/>, <see cref="Groups"/> and their
/// <see cref="Memberships"/>, in one table with one partition per directory (see <see cref="PartitionLayout"/>).
/// A directory id selects the partition; nothing crosses partitions, so one directory never sees another's data.
/// </summary>
public sealed class ScimStore : IDirectoryResources
{
    private readonly ScimDataTable _data;

    /// <param name="logger">told of work a committed write left to the sweep</param>
    public ScimStore(ScimDataTable data, ScimStorageOptions options, TimeProvider? time = null, ILogger<ScimStore>? logger = null)
    {
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        _data = data;
        var table = data.Client;
        time ??= TimeProvider.System;
        Memberships = new MembershipStore(table, options, time);
        var positions = new ListPositionsCache(table, options, time);
        var cleanup = new MembershipCleanup(table, time);
        var counts = new CountShards(options);
        Users = new ResourceStore(table, ResourceKind.User, options, cleanup, positions, counts, time, log);
        Groups = new ResourceStore(table, ResourceKind.Group, options, cleanup, positions, counts, time, log);
        Memberships.Groups = Groups;
    }

    public ResourceStore Users { get; }
    public ResourceStore Groups { get; }
    public MembershipStore Memberships { get; }

    IResourceDocuments IDirectoryResources.Users => Users;
    IResourceDocuments IDirectoryResources.Groups => Groups;
    IGroupMemberships IDirectoryResources.Memberships => Memberships;

    /// <summary>Creates the table if needed, once per process (1 round trip the first time; retried after a failure).</summary>
    public Task EnsureTableAsync(CancellationToken cancellationToken = default) => _data.GetAsync(cancellationToken);
}
