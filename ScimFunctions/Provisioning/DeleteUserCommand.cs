using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;

namespace ScimFunctions.Provisioning;

/// <summary><c>DELETE /Users/{id}</c>: the user, its index rows and all its memberships (see
/// <see cref="IResourceDocuments.DeleteAsync"/>); the user's roles are then recomputed (withdrawn).</summary>
public sealed class DeleteUserCommand(IDirectoryResources store, RoleSignals signals)
{
    public async Task ExecuteAsync(ScimScope scope, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        await store.Users.DeleteAsync(scope.DirectoryId, id, ifMatch, cancellationToken);
        await signals.UsersChangedAsync(scope.DirectoryId, [id], cancellationToken);
    }
}
