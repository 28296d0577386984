using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary><c>POST /Users</c>: 1 write transaction (document, userName index, externalId index), no reads.</summary>
public sealed class CreateUserCommand(IDirectoryResources store)
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
