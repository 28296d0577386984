using ScimFunctions.Provisioning.Ports;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>DELETE /Groups/{id}</c>: the group, its index rows and every membership, ⌈M/25⌉ transactions for M
/// members, each member's version moving as when it leaves a group (see <see cref="IResourceDocuments.DeleteAsync"/>).
/// The member ids are read first (1 read per 1,000) so their roles can be recomputed once the delete has committed.
/// </summary>
public sealed class DeleteGroupCommand(IDirectoryResources store, RoleSignals signals)
{
    public async Task ExecuteAsync(ScimScope scope, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        var members = await store.Memberships.MemberIdsAsync(scope.DirectoryId, id, cancellationToken);
        await store.Groups.DeleteAsync(scope.DirectoryId, id, ifMatch, cancellationToken);
        await signals.UsersChangedAsync(scope.DirectoryId, members.ToList(), cancellationToken);
    }
}
