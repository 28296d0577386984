using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>PUT /Groups/{id}</c>: full replace, members included (left out means none). The member change is planned
/// first (the current member keys, 1 read per 1,000, and a check of each added id), so a bad member changes
/// nothing; then the document (1 read + 1 write transaction) and the member rows (the difference only, see
/// <see cref="IGroupMemberships.CommitAsync"/>, which returns the group's new version).
/// </summary>
public sealed class ReplaceGroupCommand(IDirectoryResources store, ResourceRenderer renderer, RoleSignals signals)
{
    /// <exception cref="InvalidStoreValueException">an added member is not a user of this directory; nothing was written</exception>
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var group = ScimNormaliser.NormaliseGroup(body);
        var plan = await store.Memberships.PlanAsync(scope.DirectoryId, id, GroupMembers.Exactly(group.Members), cancellationToken);

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

        var waiver = plan.IsEmpty ? null : await signals.MembershipWaiverAsync(scope.DirectoryId, stored, cancellationToken);
        var change = await store.Memberships.CommitAsync(scope.DirectoryId, stored, plan, cancellationToken, waiver);
        await signals.UsersChangedAsync(scope.DirectoryId, change.UsersToRecompute, cancellationToken);
        if (change.Added + change.Removed > 0) stored = change.Group ?? stored;
        return await renderer.RenderAsync(scope, ScimResourceType.Group, stored, selection, withMembership: true, cancellationToken);
    }
}
