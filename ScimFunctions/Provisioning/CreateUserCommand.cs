using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;

namespace ScimFunctions.Provisioning;

/// <summary><c>POST /Users</c>: 1 write transaction (document, userName index, externalId index, the user's
/// outbox row), no reads, then the recompute prompt (the default role may apply to the new user).</summary>
/// <remarks>A new user belongs to no group yet, so its <c>groups</c> are known without a read.</remarks>
public sealed class CreateUserCommand(IDirectoryResources store, RoleSignals signals)
{
    private readonly IResourceDocuments _users = store.Users;

    /// <exception cref="ScimException">the body is not a valid User</exception>
    /// <exception cref="Storage.UniquenessConflictException">userName is taken in this directory</exception>
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, JsonObject body, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var user = ScimNormaliser.NormaliseUser(body);
        var stored = await _users.CreateAsync(scope.DirectoryId, user, cancellationToken);
        await signals.UsersChangedAsync(scope.DirectoryId, [stored.Id], cancellationToken);
        return ResourceRenderer.Render(scope, ScimResourceType.User, stored, membership: null, selection);
    }
}
