using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;

namespace ScimFunctions.Provisioning;

/// <summary><c>PATCH /Users/{id}</c>: the groups when the answer shows them (read first: a user's write cannot
/// change them, and nothing after the commit may fail the request), then 1 read + 1 write transaction (retried
/// from a fresh read when another write got in between and the client sent no If-Match).</summary>
public sealed class PatchUserCommand(IDirectoryResources store, ResourceRenderer renderer, RoleSignals signals)
{
    /// <param name="returnBody">False when the client asked for no body: the groups read is skipped.</param>
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, bool returnBody, CancellationToken cancellationToken)
    {
        var patch = PatchRequest.Parse(body);
        var groups = returnBody ? await renderer.ReadMembershipIfReturnedAsync(scope, ScimResourceType.User, id, selection, cancellationToken) : null;
        bool? activeBefore = null, activeAfter = null;
        var stored = await store.Users.UpdateAsync(scope.DirectoryId, id, current =>
        {
            activeBefore = UserActivity.IsActive(current);
            var outcome = PatchEngine.Apply(current, patch, ScimResourceType.User.Schema);
            activeAfter = UserActivity.IsActive(outcome.Resource);
            return outcome.Resource;
        }, ifMatch, cancellationToken);
        if (activeBefore != activeAfter) await signals.UsersChangedAsync(scope.DirectoryId, [id], cancellationToken);
        return returnBody
            ? ResourceRenderer.Render(scope, ScimResourceType.User, stored, groups, selection)
            : new RenderedResource(stored.Id, stored.Version, scope.LocationOf(ScimResourceType.User, stored.Id), Body: null);
    }
}
