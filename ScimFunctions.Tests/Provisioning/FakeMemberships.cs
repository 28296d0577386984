using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Provisioning;

/// <summary>Memberships in memory: records each planned change and each commit (a commit with the group's
/// document write, into <paramref name="groups"/>, is recorded as one commit to the written group).</summary>
public sealed class FakeMemberships(FakeDocuments groups) : IGroupMemberships
{
    public List<MembershipChange> Planned { get; } = [];
    public List<(StoredResource Group, MembershipPlan Plan)> Committed { get; } = [];

    /// <summary>Commits that wrote the group's document and its members together.</summary>
    public int Replacements { get; private set; }

    /// <summary>Ids that are not users: planning a change that adds one fails, as storage's check does.</summary>
    public HashSet<string> NotUsers { get; } = [];

    public Task<MembershipPlan> PlanAsync(string directoryId, string groupId, MembershipChange change, CancellationToken cancellationToken = default)
    {
        Planned.Add(change);
        var missing = change.AddedIds.Where(NotUsers.Contains).ToList();
        if (missing.Count > 0) throw new InvalidStoreValueException("Not users of this directory.", missing);
        var toAdd = change.AddedIds.ToDictionary(id => id, _ => (string?)null, StringComparer.Ordinal);
        return Task.FromResult(new MembershipPlan(groupId, toAdd, change.Removed.ToList(), [.. toAdd.Keys, .. change.Removed]));
    }

    public Task<MembershipChangeResult> CommitAsync(string directoryId, StoredResource group, MembershipPlan plan, CancellationToken cancellationToken = default, OutboxWaiver? waiver = null, DateTimeOffset? groupStamp = null)
    {
        Committed.Add((group, plan));
        var touched = group with { Version = group.Version + "+members" };
        var pending = waiver is null ? plan.ToAdd.Keys.Concat(plan.ToRemove).ToList() : [];
        return Task.FromResult(new MembershipChangeResult(plan.ToAdd.Count, plan.ToRemove.Count, 1, touched, pending));
    }

    public async Task<MembershipChangeResult> ReplaceGroupAsync(string directoryId, StoredResource current, System.Text.Json.Nodes.JsonObject replacement, MembershipPlan plan, CancellationToken cancellationToken = default, OutboxWaiver? waiver = null)
    {
        var written = await groups.WriteAsync(directoryId, current, replacement, cancellationToken);
        Replacements++;
        return await CommitAsync(directoryId, written, plan, cancellationToken, waiver);
    }

    public Task<StoredResource> CreateGroupAsync(string directoryId, System.Text.Json.Nodes.JsonObject group, MembershipPlan plan, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlySet<string>> MemberIdsAsync(string directoryId, string groupId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<MembershipReference> StreamMembersAsync(string directoryId, string groupId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<MembershipReference>> ListGroupsOfUserAsync(string directoryId, string userId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<UserGroupReference> StreamGroupsOfUsersAsync(string directoryId, string firstUserId, string lastUserId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
