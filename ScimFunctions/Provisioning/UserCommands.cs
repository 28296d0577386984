using System.Text.Json.Nodes;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary><c>POST /Users</c>: 1 write transaction (document, userName index, externalId index), no reads.</summary>
public sealed class CreateUserCommand(ScimStore store)
{
    /// <exception cref="ScimException">the body is not a valid User</exception>
    /// <exception cref="UniquenessConflictException">userName is taken in this directory</exception>
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, JsonObject body, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var user = ScimNormaliser.NormaliseUser(body);
        var stored = await store.Users.CreateAsync(scope.DirectoryId, user, cancellationToken);
        // A new user belongs to no group yet, so its groups are known without a read.
        return ResourceRenderer.Render(scope, ScimResourceType.User, stored, membership: null, selection);
    }
}

/// <summary>
/// <c>PUT /Users/{id}</c>: full replace. Attributes left out are cleared; id, meta and groups (readOnly) are
/// kept. 1 read + 1 write transaction, then the groups for the response. A change of <c>active</c> prompts a
/// role recompute (the user's outbox row is written by the store with every membership change; an active
/// change is signalled so the role side re-reads the user).
/// </summary>
public sealed class ReplaceUserCommand(ScimStore store, ResourceRenderer renderer, RoleSignals signals)
{
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var user = ScimNormaliser.NormaliseUser(body);
        var activeBefore = true;
        var stored = await store.Users.UpdateAsync(scope.DirectoryId, id, current =>
        {
            activeBefore = UserActivity.IsActive(current);
            return user.DeepClone().AsObject();
        }, ifMatch, cancellationToken);
        if (activeBefore != UserActivity.IsActive(user)) await signals.UsersChangedAsync(scope.DirectoryId, [id], cancellationToken);
        return await renderer.RenderAsync(scope, ScimResourceType.User, stored, selection, withMembership: true, cancellationToken);
    }
}

/// <summary><c>PATCH /Users/{id}</c>: 1 read + 1 write transaction (retried from a fresh read when another
/// write got in between and the client sent no If-Match).</summary>
public sealed class PatchUserCommand(ScimStore store, ResourceRenderer renderer, RoleSignals signals)
{
    /// <param name="returnBody">False when the client asked for no body: the groups read is skipped.</param>
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, bool returnBody, CancellationToken cancellationToken)
    {
        var patch = PatchRequest.Parse(body);
        bool activeBefore = true, activeAfter = true;
        var stored = await store.Users.UpdateAsync(scope.DirectoryId, id, current =>
        {
            activeBefore = UserActivity.IsActive(current);
            var outcome = PatchEngine.Apply(current, patch, ScimResourceType.User.Schema);
            activeAfter = UserActivity.IsActive(outcome.Resource);
            return outcome.Resource;
        }, ifMatch, cancellationToken);
        if (activeBefore != activeAfter) await signals.UsersChangedAsync(scope.DirectoryId, [id], cancellationToken);
        return returnBody
            ? await renderer.RenderAsync(scope, ScimResourceType.User, stored, selection, withMembership: true, cancellationToken)
            : new RenderedResource(stored.Id, stored.Version, scope.LocationOf(ScimResourceType.User, stored.Id), Body: null);
    }
}

/// <summary><c>DELETE /Users/{id}</c>: the user, its index rows and all its memberships (see
/// <see cref="ResourceStore.DeleteAsync"/>); the user's roles are then recomputed (withdrawn).</summary>
public sealed class DeleteUserCommand(ScimStore store, RoleSignals signals)
{
    public async Task ExecuteAsync(ScimScope scope, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        await store.Users.DeleteAsync(scope.DirectoryId, id, ifMatch, cancellationToken);
        await signals.UsersChangedAsync(scope.DirectoryId, [id], cancellationToken);
    }
}
