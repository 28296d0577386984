using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>GET /Users/{id}</c> and <c>GET /Groups/{id}</c>. Cost: 1 point read of the document; when the membership
/// attribute is returned, 1 range read of membership rows per 1,000 memberships, issued at the same time as the
/// document read (so the request waits for one round trip). An id this service never issued costs nothing.
/// </summary>
public sealed class GetResourceQuery(IDirectoryResources store, ResourceRenderer renderer)
{
    /// <returns>The resource; its body is null when <paramref name="ifNoneMatch"/> names the current version (304).</returns>
    /// <exception cref="ResourceNotFoundException">no such resource in this directory</exception>
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, ScimResourceType type, string id, AttributeSelection selection, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var withMembership = selection.Returns(type.MembershipAttribute, type) && PartitionLayout.IsServerId(id);
        var membershipRead = withMembership ? renderer.ReadMembershipAsync(scope, type, id, cancellationToken) : null;
        var resource = await type.StoreIn(store).GetAsync(scope.DirectoryId, id, cancellationToken);
        if (resource is null)
        {
            if (membershipRead is not null) await membershipRead;
            throw new ResourceNotFoundException(type.Kind.ResourceType, id);
        }
        var membership = membershipRead is null ? null : await membershipRead;
        if (ifNoneMatch is not null && ResourceVersion.Matches(ifNoneMatch, resource.Version))
        {
            return new RenderedResource(resource.Id, resource.Version, scope.LocationOf(type, resource.Id), Body: null);
        }
        return ResourceRenderer.Render(scope, type, resource, membership, selection);
    }
}
