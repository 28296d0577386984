using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>GET /Users/{id}</c> and <c>GET /Groups/{id}</c>. Cost: 1 point read of the document; when the membership
/// attribute is returned, 1 range read of membership rows per 1,000 memberships, the first issued at the same
/// time as the document read (so the request waits for one round trip). A group's members after the first range
/// read are read while the response is written (<see cref="StreamedMembers"/>), so memory stays flat in group
/// size. An id this service never issued costs nothing.
/// </summary>
public sealed class GetResourceQuery(IDirectoryResources store, ResourceRenderer renderer)
{
    /// <returns>The resource with its members in the body (webhook payloads; tests).</returns>
    /// <exception cref="ResourceNotFoundException">no such resource in this directory</exception>
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, ScimResourceType type, string id, AttributeSelection selection, string? ifNoneMatch, CancellationToken cancellationToken) =>
        await (await ExecuteStreamingAsync(scope, type, id, selection, ifNoneMatch, cancellationToken)).MaterialisedAsync();

    /// <returns>The resource; its body is null when <paramref name="ifNoneMatch"/> names the current version (304);
    /// a group's members, when returned, are in <see cref="RenderedResource.Members"/>.</returns>
    /// <exception cref="ResourceNotFoundException">no such resource in this directory</exception>
    public async Task<RenderedResource> ExecuteStreamingAsync(ScimScope scope, ScimResourceType type, string id, AttributeSelection selection, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var withMembership = selection.Returns(type.MembershipAttribute, type) && PartitionLayout.IsServerId(id);
        if (type == ScimResourceType.Group) return await GroupAsync(scope, id, selection, withMembership, ifNoneMatch, cancellationToken);
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

    private async Task<RenderedResource> GroupAsync(ScimScope scope, string id, AttributeSelection selection, bool withMembers, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var type = ScimResourceType.Group;
        var started = withMembers ? renderer.StartMembers(scope, id, cancellationToken) : default;
        StreamedMembers? members = null;
        try
        {
            var read = store.Groups.GetAsync(scope.DirectoryId, id, cancellationToken);
            if (withMembers) members = await StreamedMembers.ReadAsync(scope, selection, started.Members, started.FirstMove, headLimit: 0);
            var resource = await read ?? throw new ResourceNotFoundException(type.Kind.ResourceType, id);
            if (ifNoneMatch is not null && ResourceVersion.Matches(ifNoneMatch, resource.Version))
            {
                if (members is not null) await members.DisposeAsync();
                return new RenderedResource(resource.Id, resource.Version, scope.LocationOf(type, resource.Id), Body: null);
            }
            var rendered = ResourceRenderer.Render(scope, type, resource, null, selection);
            return members is null ? rendered : ResourceRenderer.WithMembers(rendered, members);
        }
        catch
        {
            if (members is not null) await members.DisposeAsync();
            throw;
        }
    }
}
