using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>PUT /Users/{id}</c>: full replace. Attributes left out are cleared; id, meta and groups (readOnly) are
/// kept. The groups for the response (a user's write cannot change them: read first, so a failure after the
/// commit cannot fail the request), then 1 read + 1 write transaction. A change of <c>active</c> prompts a
/// role recompute (the user's outbox row is written by the store with every membership change; an active
/// change is signalled so the role side re-reads the user).
/// </summary>
public sealed class ReplaceUserCommand(IDirectoryResources store, ResourceRenderer renderer, RoleSignals signals)
{
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var user = ScimNormaliser.NormaliseUser(body);
        var groups = await renderer.ReadMembershipIfReturnedAsync(scope, ScimResourceType.User, id, selection, cancellationToken);
        bool? activeBefore = null;
        var stored = await store.Users.UpdateAsync(scope.DirectoryId, id, current =>
        {
            activeBefore = UserActivity.IsActive(current);
            return user.DeepClone().AsObject();
        }, ifMatch, cancellationToken);
        if (activeBefore != UserActivity.IsActive(user)) await signals.UsersChangedAsync(scope.DirectoryId, [id], cancellationToken);
        return ResourceRenderer.Render(scope, ScimResourceType.User, stored, groups, selection);
    }
}
