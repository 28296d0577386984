using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// Turns a stored document into its SCIM representation: <c>meta.location</c> from the request's base URL,
/// the membership attribute (a User's <c>groups</c>, a Group's <c>members</c>) from membership rows, and the
/// client's attribute selection. Membership rows are read only when the attribute will be in the response.
/// </summary>
public sealed class ResourceRenderer(IDirectoryResources store)
{
    /// <summary>Reads the membership attribute's value: 1 range read per 1,000 memberships.</summary>
    public async Task<JsonArray> ReadMembershipAsync(ScimScope scope, ScimResourceType type, string id, CancellationToken cancellationToken)
    {
        if (type != ScimResourceType.Group) return Groups(scope, await store.Memberships.ListGroupsOfUserAsync(scope.DirectoryId, id, cancellationToken));
        var items = new JsonArray();
        await foreach (var member in store.Memberships.StreamMembersAsync(scope.DirectoryId, id, cancellationToken))
        {
            items.Add(Reference(member, "User", scope.LocationOf(ScimResourceType.User, member.Id)));
        }
        return items;
    }

    /// <summary>The membership attribute's value when the selection returns it, else null (no read). A write that
    /// cannot change it reads it before its commit, so that nothing after the commit can fail the request.</summary>
    public async Task<JsonArray?> ReadMembershipIfReturnedAsync(ScimScope scope, ScimResourceType type, string id, AttributeSelection selection, CancellationToken cancellationToken) =>
        // An id the server never issues names nothing: the write answers 404, with no read of its membership.
        selection.Returns(type.MembershipAttribute, type) && PartitionLayout.IsServerId(id) ? await ReadMembershipAsync(scope, type, id, cancellationToken) : null;

    /// <summary>A group's <c>members</c> from references already at hand (in key order, as a read returns them).</summary>
    public static JsonArray Members(ScimScope scope, IEnumerable<MembershipReference> members)
    {
        var items = new JsonArray();
        foreach (var member in members.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            items.Add(Reference(member, "User", scope.LocationOf(ScimResourceType.User, member.Id)));
        }
        return items;
    }

    /// <summary>A user's <c>groups</c> from references already at hand, in the order given (key order, as a read returns them).</summary>
    public static JsonArray Groups(ScimScope scope, IEnumerable<MembershipReference> groups)
    {
        var items = new JsonArray();
        foreach (var group in groups) items.Add(Reference(group, "direct", scope.LocationOf(ScimResourceType.Group, group.Id)));
        return items;
    }

    /// <param name="membership">The membership attribute's value when it is to be shown, else null.</param>
    public static RenderedResource Render(ScimScope scope, ScimResourceType type, StoredResource resource, JsonArray? membership, AttributeSelection selection)
    {
        var document = resource.Document.DeepClone().AsObject();
        var location = scope.LocationOf(type, resource.Id);
        if (document["meta"] is JsonObject meta) meta["location"] = location;
        if (membership is { Count: > 0 }) document[type.MembershipAttribute] = membership;
        var body = Projection.Apply(document, selection.Attributes, selection.ExcludedAttributes, type.Schema);
        return new RenderedResource(resource.Id, resource.Version, location, body);
    }

    /// <summary>
    /// Renders a resource for a response. A group's members, when returned, are not read here beyond the first
    /// range read (so a failure to read them is still an error answer): the rest are read as the body is written.
    /// A user's groups are read whole.
    /// </summary>
    public async Task<RenderedResource> RenderStreamingAsync(ScimScope scope, ScimResourceType type, StoredResource resource, AttributeSelection selection, CancellationToken cancellationToken)
    {
        if (type != ScimResourceType.Group) return await RenderAsync(scope, type, resource, selection, withMembership: true, cancellationToken);
        if (!selection.Returns(type.MembershipAttribute, type)) return Render(scope, type, resource, null, selection);
        var (members, firstMove) = StartMembers(scope, resource.Id, cancellationToken);
        return WithMembers(Render(scope, type, resource, null, selection), await StreamedMembers.ReadAsync(scope, selection, members, firstMove, headLimit: 0));
    }

    /// <summary>Starts reading a group's member rows: the first range read is in flight when this returns.</summary>
    public (IAsyncEnumerator<MembershipReference> Members, Task<bool> FirstMove) StartMembers(ScimScope scope, string groupId, CancellationToken cancellationToken)
    {
        var members = store.Memberships.StreamMembersAsync(scope.DirectoryId, groupId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        return (members, members.MoveNextAsync().AsTask());
    }

    /// <summary>A rendered group with its streamed members; an empty member list leaves the attribute out, as a read does.</summary>
    public static RenderedResource WithMembers(RenderedResource rendered, StreamedMembers members) =>
        members.IsEmpty ? rendered : rendered with { Members = members };

    /// <summary>Renders a resource, reading its membership rows when <paramref name="withMembership"/> and the
    /// selection returns the attribute.</summary>
    public async Task<RenderedResource> RenderAsync(ScimScope scope, ScimResourceType type, StoredResource resource, AttributeSelection selection, bool withMembership, CancellationToken cancellationToken)
    {
        var membership = withMembership && selection.Returns(type.MembershipAttribute, type)
            ? await ReadMembershipAsync(scope, type, resource.Id, cancellationToken)
            : null;
        return Render(scope, type, resource, membership, selection);
    }

    internal static JsonObject Reference(MembershipReference reference, string typeLabel, string location)
    {
        var item = new JsonObject { ["value"] = reference.Id };
        if (reference.Display is not null) item["display"] = reference.Display;
        item["type"] = typeLabel;
        item["$ref"] = location;
        return item;
    }
}
