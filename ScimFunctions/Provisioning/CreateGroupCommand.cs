using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>POST /Groups</c>: 1 write transaction for the group, then its members (checked, then written as in
/// <see cref="IGroupMemberships.CommitAsync"/>, which returns the group's new version). If the members cannot
/// be added (an id that is not a user of this directory), the new group is deleted again, so the request
/// changes nothing.
/// </summary>
public sealed class CreateGroupCommand(IDirectoryResources store, ResourceRenderer renderer, RoleSignals signals, ILogger<CreateGroupCommand> logger)
{
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, JsonObject body, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var group = ScimNormaliser.NormaliseGroup(body);
        var members = GroupMembers.Exactly(group.Members);
        var stored = await store.Groups.CreateAsync(scope.DirectoryId, group.Resource, cancellationToken);
        if (members.Added.Count == 0) return ResourceRenderer.Render(scope, ScimResourceType.Group, stored, membership: null, selection);

        try
        {
            var plan = await store.Memberships.PlanAsync(scope.DirectoryId, stored.Id, MembershipChange.Add(members.AddedIds), cancellationToken);
            stored = (await store.Memberships.CommitAsync(scope.DirectoryId, stored, plan, cancellationToken)).Group ?? stored;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            await UndoCreateAsync(scope, stored.Id);
            throw;
        }
        await signals.UsersChangedAsync(scope.DirectoryId, members.AddedIds, cancellationToken);
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
