using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>POST /Groups</c>: the members are checked first (an id that is not a user of this directory refuses the
/// request before anything is written, change log included), then, for up to
/// <see cref="MembershipStore.MembersInCreate"/> members, 1 write transaction for the group and its members
/// together (a failure writes nothing). A larger group is 1 transaction for the group, then its members as in
/// <see cref="IGroupMemberships.CommitAsync"/>, which returns the group's new version; if writing those members
/// fails, the new group is deleted again. The answer shows the members
/// as planned (with the displays the check read), so no read after the commit can fail the request.
/// </summary>
public sealed class CreateGroupCommand(IDirectoryResources store, ResourceRenderer renderer, RoleSignals signals, ILogger<CreateGroupCommand> logger)
{
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, JsonObject body, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var group = ScimNormaliser.NormaliseGroup(body);
        var members = GroupMembers.Exactly(group.Members);
        // Adding to a group that does not exist yet reads nothing of the group, so the plan can be made (and the
        // users checked) before the group is written, under a stand-in id replaced once the group has its own.
        var plan = members.Added.Count == 0
            ? null
            : await store.Memberships.PlanAsync(scope.DirectoryId, PartitionLayout.NewId(), MembershipChange.Add(members.AddedIds), cancellationToken);
        if (plan is null)
        {
            var alone = await store.Groups.CreateAsync(scope.DirectoryId, group.Resource, cancellationToken);
            return ResourceRenderer.Render(scope, ScimResourceType.Group, alone, membership: null, selection);
        }
        var shown = ResourceRenderer.Members(scope, plan.ToAdd.Select(user => new MembershipReference(user.Key, user.Value)));
        if (plan.ToAdd.Count <= MembershipStore.MembersInCreate)
        {
            var created = await store.Memberships.CreateGroupAsync(scope.DirectoryId, group.Resource, plan, cancellationToken);
            await signals.UsersChangedAsync(scope.DirectoryId, members.AddedIds, cancellationToken);
            return ResourceRenderer.Render(scope, ScimResourceType.Group, created, shown, selection);
        }

        var stored = await store.Groups.CreateAsync(scope.DirectoryId, group.Resource, cancellationToken);

        MembershipChangeResult committed;
        try
        {
            committed = await store.Memberships.CommitAsync(scope.DirectoryId, stored, plan with { GroupId = stored.Id }, cancellationToken);
            stored = committed.Group ?? stored;
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await UndoCreateAsync(scope, stored.Id);
            throw;
        }
        await signals.UsersChangedAsync(scope.DirectoryId, members.AddedIds, cancellationToken);
        if (committed.Added != plan.ToAdd.Count)
        {
            // A member was deleted between the check and the write: only a read tells who is in.
            return await renderer.RenderAsync(scope, ScimResourceType.Group, stored, selection, withMembership: true, cancellationToken);
        }
        return ResourceRenderer.Render(scope, ScimResourceType.Group, stored, shown, selection);
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
