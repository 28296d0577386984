using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning.Ports;

/// <summary>Group memberships as the use cases change and read them: a change is planned (checked, nothing
/// written) and then committed against the group as last read or written, so a refused change writes nothing.</summary>
public interface IGroupMemberships
{
    /// <summary>Checks a change: added ids must be users of the directory. Writes nothing.</summary>
    /// <exception cref="ResourceNotFoundException">the group id is not one this service issued</exception>
    /// <exception cref="InvalidStoreValueException">some added ids are not users of this directory</exception>
    Task<MembershipPlan> PlanAsync(string directoryId, string groupId, MembershipChange change, CancellationToken cancellationToken = default);

    /// <summary>Writes a planned change; the result holds the group at its new version and the users whose
    /// outbox rows it wrote (all of them unless <paramref name="waiver"/> holds).</summary>
    /// <exception cref="ResourceNotFoundException">the group was deleted</exception>
    Task<MembershipChangeResult> CommitAsync(string directoryId, StoredResource group, MembershipPlan plan, CancellationToken cancellationToken = default, OutboxWaiver? waiver = null, DateTimeOffset? groupStamp = null);

    /// <summary>Replaces a group's document, as read, and writes a planned member change with it: in one commit
    /// when it names at most <see cref="MembershipStore.MembersInReplace"/> users, so a failure writes nothing.</summary>
    /// <exception cref="VersionMismatchException">another write got in since the group was read; nothing was written</exception>
    /// <exception cref="ResourceNotFoundException">the group was deleted</exception>
    /// <exception cref="UniquenessConflictException"></exception>
    Task<MembershipChangeResult> ReplaceGroupAsync(string directoryId, StoredResource current, System.Text.Json.Nodes.JsonObject replacement, MembershipPlan plan, CancellationToken cancellationToken = default, OutboxWaiver? waiver = null);

    /// <summary>Creates a group with a planned set of at most <see cref="MembershipStore.MembersInCreate"/>
    /// members, all in one commit: a failure writes nothing.</summary>
    /// <exception cref="InvalidStoreValueException">a planned member was deleted meanwhile; nothing was written</exception>
    /// <exception cref="UniquenessConflictException"></exception>
    Task<StoredResource> CreateGroupAsync(string directoryId, System.Text.Json.Nodes.JsonObject group, MembershipPlan plan, CancellationToken cancellationToken = default);

    Task<IReadOnlySet<string>> MemberIdsAsync(string directoryId, string groupId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<MembershipReference> StreamMembersAsync(string directoryId, string groupId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MembershipReference>> ListGroupsOfUserAsync(string directoryId, string userId, CancellationToken cancellationToken = default);

    /// <summary>The groups of every user with an id from <paramref name="firstUserId"/> to <paramref name="lastUserId"/>
    /// (inclusive), in user id order then group id order, in one range read per 1,000 rows.</summary>
    IAsyncEnumerable<UserGroupReference> StreamGroupsOfUsersAsync(string directoryId, string firstUserId, string lastUserId, CancellationToken cancellationToken = default);
}
