using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>POST /Groups</c>: 1 write transaction for the group, then its members as in
/// <see cref="MembershipStore.ApplyAsync"/>. If the members cannot be added (an id that is not a user of this
/// directory), the new group is deleted again, so the request changes nothing.
/// </summary>
public sealed class CreateGroupCommand(ScimStore store, ResourceRenderer renderer, RoleSignals signals, ILogger<CreateGroupCommand> logger)
{
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, JsonObject body, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var group = ScimNormaliser.NormaliseGroup(body);
        var memberIds = GroupMembers.UserIds(group.Members);
        var stored = await store.Groups.CreateAsync(scope.DirectoryId, group.Resource, cancellationToken);
        if (memberIds.Count == 0) return ResourceRenderer.Render(scope, ScimResourceType.Group, stored, membership: null, selection);

        try
        {
            await store.Memberships.ApplyAsync(scope.DirectoryId, stored.Id, [MembershipOperation.Add(memberIds)], cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            await UndoCreateAsync(scope, stored.Id);
            throw;
        }
        await signals.UsersChangedAsync(scope.DirectoryId, memberIds, cancellationToken);
        // Adding members moved the group's version and lastModified.
        stored = await store.Groups.GetAsync(scope.DirectoryId, stored.Id, cancellationToken) ?? stored;
        return await renderer.RenderAsync(scope, ScimResourceType.Group, stored, selection, withMembership: true, cancellationToken);
    }

    private async Task UndoCreateAsync(ScimScope scope, string groupId)
    {
        try
        {
            await store.Groups.DeleteAsync(scope.DirectoryId, groupId, cancellationToken: CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Group {GroupId} of directory {DirectoryId} was created but its members could not be added, and removing it failed.", groupId, scope.DirectoryId);
        }
    }
}

/// <summary>
/// <c>PUT /Groups/{id}</c>: full replace, members included (left out means none). Added member ids are checked
/// to be users before anything is written; then the document (1 read + 1 write transaction) and the member
/// rows (the difference only, see <see cref="MembershipStore.ApplyAsync"/>).
/// </summary>
public sealed class ReplaceGroupCommand(ScimStore store, ResourceRenderer renderer, RoleSignals signals)
{
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var group = ScimNormaliser.NormaliseGroup(body);
        var memberIds = GroupMembers.UserIds(group.Members);
        await GroupMembers.EnsureUsersAsync(store, scope.DirectoryId, memberIds, cancellationToken);

        string? nameBefore = null;
        var stored = await store.Groups.UpdateAsync(scope.DirectoryId, id, current =>
        {
            nameBefore = JsonNodes.GetString(current, "displayName");
            return group.Resource.DeepClone().AsObject();
        }, ifMatch, cancellationToken);
        if (!string.Equals(nameBefore, JsonNodes.GetString(group.Resource, "displayName"), StringComparison.Ordinal))
        {
            await signals.GroupChangedAsync(scope.DirectoryId, id, cancellationToken);
        }

        var previous = await GroupMembers.CurrentIdsAsync(store, scope.DirectoryId, id, cancellationToken);
        var change = await store.Memberships.ApplyAsync(scope.DirectoryId, id, [MembershipOperation.ReplaceAll(memberIds)], cancellationToken);
        if (change.Added + change.Removed > 0)
        {
            await signals.UsersChangedAsync(scope.DirectoryId, previous.Union(memberIds).ToList(), cancellationToken);
            stored = await store.Groups.GetAsync(scope.DirectoryId, id, cancellationToken) ?? throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, id);
        }
        return await renderer.RenderAsync(scope, ScimResourceType.Group, stored, selection, withMembership: true, cancellationToken);
    }
}

/// <summary>
/// <c>PATCH /Groups/{id}</c>. Membership operations become writes of member rows only: a group of 100,000
/// members costs the same to change as one of 10, and concurrent member changes never conflict. Cost: 1 read
/// of the group; the document is written (1 read + 1 write transaction) only when a non-member attribute
/// really changes (Okta re-sends the unchanged name with every membership change); members as in
/// <see cref="MembershipStore.ApplyAsync(string, string, IEnumerable{MembershipOperation}, string?, CancellationToken)"/>
/// without its read of the group; 1 read for the new version, alongside the role signal.
/// <para>
/// The response is 200 with the group, or 204 when the client asked for no body. The group's <c>members</c>
/// are in the 200 body only when named in <c>attributes</c>, since showing them would read the whole member
/// list on every change.
/// </para>
/// <para>
/// If-Match is checked against the version read first and guards the document write; member rows carry no
/// version, so a membership-only change racing another writer after that check is not refused. A PATCH that
/// changes both the document and the members writes the document first, then the members (two commits).
/// </para>
/// </summary>
public sealed class PatchGroupCommand(ScimStore store, ResourceRenderer renderer, RoleSignals signals)
{
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, bool returnBody, CancellationToken cancellationToken)
    {
        var patch = PatchRequest.Parse(body);
        var schema = ScimResourceType.Group.Schema;
        var current = await store.Groups.GetAsync(scope.DirectoryId, id, cancellationToken)
            ?? throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, id);
        if (ifMatch is not null && !VersionHeaders.AnyMatches(ifMatch, current.Version))
        {
            throw new VersionMismatchException(ResourceKind.Group.ResourceType, id);
        }
        var outcome = PatchEngine.Apply(current.Document, patch, schema);
        var operations = outcome.Members is { IsEmpty: false } delta ? GroupMembers.Operations(delta) : [];
        var stored = current;

        if (outcome.ResourceChanged)
        {
            // Check added members first, so a bad id fails the request before the document changes.
            var added = operations.Where(o => o.Kind is MembershipOperationKind.Add or MembershipOperationKind.ReplaceAll).SelectMany(o => o.UserIds).ToList();
            await GroupMembers.EnsureUsersAsync(store, scope.DirectoryId, added, cancellationToken);
            string? nameBefore = null, nameAfter = null;
            stored = await store.Groups.UpdateAsync(scope.DirectoryId, id, document =>
            {
                nameBefore = JsonNodes.GetString(document, "displayName");
                var patched = PatchEngine.Apply(document, patch, schema).Resource;
                nameAfter = JsonNodes.GetString(patched, "displayName");
                return patched;
            }, ifMatch, cancellationToken);
            if (!string.Equals(nameBefore, nameAfter, StringComparison.Ordinal))
            {
                await signals.GroupChangedAsync(scope.DirectoryId, id, cancellationToken);
            }
        }

        if (operations.Count > 0)
        {
            var replacing = operations.Any(o => o.Kind == MembershipOperationKind.ReplaceAll);
            var previous = replacing ? await GroupMembers.CurrentIdsAsync(store, scope.DirectoryId, id, cancellationToken) : [];
            var change = await store.Memberships.ApplyAsync(scope.DirectoryId, id, operations, ResourceKind.Group.DisplayOf(stored.Document), cancellationToken);
            if (change.Added + change.Removed > 0)
            {
                // The signal and the read of the new version are independent: one round trip of latency for both.
                var signalled = signals.UsersChangedAsync(scope.DirectoryId, previous.Union(operations.SelectMany(o => o.UserIds)).ToList(), cancellationToken);
                var reread = store.Groups.GetAsync(scope.DirectoryId, id, cancellationToken);
                await Task.WhenAll(signalled, reread);
                stored = await reread ?? throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, id);
            }
        }

        if (!returnBody) return new RenderedResource(stored.Id, stored.Version, scope.LocationOf(ScimResourceType.Group, id), Body: null);
        var withMembers = selection.AsksFor(ScimResourceType.Group.MembershipAttribute, ScimResourceType.Group);
        return await renderer.RenderAsync(scope, ScimResourceType.Group, stored, selection, withMembers, cancellationToken);
    }
}

/// <summary>
/// <c>DELETE /Groups/{id}</c>: the group, its index rows and every membership, ⌈M/25⌉ transactions for M
/// members, each member's version moving as when it leaves a group (see <see cref="ResourceStore.DeleteAsync"/>).
/// The member ids are read first (1 read per 1,000) so their roles can be recomputed once the delete has committed.
/// </summary>
public sealed class DeleteGroupCommand(ScimStore store, RoleSignals signals)
{
    public async Task ExecuteAsync(ScimScope scope, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        var members = PartitionLayout.IsServerId(id) ? await GroupMembers.CurrentIdsAsync(store, scope.DirectoryId, id, cancellationToken) : [];
        await store.Groups.DeleteAsync(scope.DirectoryId, id, ifMatch, cancellationToken);
        await signals.UsersChangedAsync(scope.DirectoryId, members, cancellationToken);
    }
}

internal static class GroupMembers
{
    /// <summary>The user ids of a member list; groups as members (nesting) are not supported.</summary>
    public static IReadOnlyList<string> UserIds(IReadOnlyList<MemberRef> members)
    {
        RejectGroups(members);
        return members.Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<MembershipOperation> Operations(MemberDelta delta)
    {
        RejectGroups(delta.Added);
        var added = delta.Added.Select(m => m.Value).ToList();
        if (delta.ReplaceAll) return [MembershipOperation.ReplaceAll(added)];
        var operations = new List<MembershipOperation>();
        if (delta.Removed.Count > 0) operations.Add(MembershipOperation.Remove(delta.Removed));
        if (added.Count > 0) operations.Add(MembershipOperation.Add(added));
        return operations;
    }

    private static void RejectGroups(IEnumerable<MemberRef> members)
    {
        if (members.FirstOrDefault(m => m.Type == "Group") is { } nested)
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"Member \"{nested.Value}\" is a Group; only users can be members (groups do not nest).");
        }
    }

    public static async Task<HashSet<string>> CurrentIdsAsync(ScimStore store, string directoryId, string groupId, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var member in store.Memberships.StreamMembersAsync(directoryId, groupId, cancellationToken)) ids.Add(member.Id);
        return ids;
    }

    /// <summary>Fails with 400 invalidValue, before any write, when some ids are not users of this directory.</summary>
    public static async Task EnsureUsersAsync(ScimStore store, string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0) return;
        var missing = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(userIds.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (userId, token) =>
            {
                if (await store.Users.GetAsync(directoryId, userId, token) is null) missing.Add(userId);
            });
        if (!missing.IsEmpty)
        {
            var ids = missing.Order(StringComparer.Ordinal).ToList();
            throw new InvalidStoreValueException($"Not users of this directory: {string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? ", ..." : "")}.", ids);
        }
    }
}
