using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>PATCH /Groups/{id}</c>. The body is parsed once, the group read once and the PATCH applied once; the
/// membership change it yields is checked once (1 point read per added user, before any write) and written
/// once, as member rows only: a group of 100,000 members costs the same to change as one of 10, and concurrent
/// member changes never conflict. The document is written (1 transaction, guarded by the version read) only
/// when a non-member attribute really changes (Okta re-sends the unchanged name with every membership change).
/// The member transaction returns the group's new version, so adding one member costs 4 round trips: the
/// group read, the user check, the member transaction and the role signal; the signal (and the members'
/// outbox rows) are left out when the group maps to no role (<see cref="RoleSignals.MembershipWaiverAsync"/>).
/// <para>
/// With <c>returnBody</c> false (the HTTP default for groups: 204 with the new ETag) no member row
/// is read. With it true the answer is the entire group (RFC 7644 §3.5.2), members included unless the selection
/// leaves them out; they stream as the response is written (<see cref="StreamedMembers"/>).
/// </para>
/// <para>
/// If-Match is checked against the version read and guards the document write; member rows carry no version,
/// so a membership-only change racing another writer after that check is not refused. A PATCH that changes
/// both the document and the members writes them in one transaction when the member change names at most
/// <see cref="MembershipStore.MembersInReplace"/> users (so a failure leaves the group as it was), else the
/// document first, then the members. When another write of the document gets in between and the client sent
/// no strict If-Match, the PATCH is applied again to what that write left.
/// </para>
/// </summary>
public sealed class PatchGroupCommand(IDirectoryResources store, ResourceRenderer renderer, RoleSignals signals)
{
    /// <summary>Attempts when another write of the group gets in between the read and the write (no strict If-Match).</summary>
    private const int MaxConcurrencyAttempts = 5;

    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, bool returnBody, CancellationToken cancellationToken)
    {
        var patch = PatchRequest.Parse(body);
        var schema = ScimResourceType.Group.Schema;
        var current = await store.Groups.GetAsync(scope.DirectoryId, id, cancellationToken)
            ?? throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, id);
        if (ifMatch is not null && !ResourceVersion.Matches(ifMatch, current.Version))
        {
            throw new VersionMismatchException(ResourceKind.Group.ResourceType, id);
        }
        var outcome = PatchEngine.Apply(current.Document, patch, schema);
        var plan = outcome.Members is { IsEmpty: false } members
            ? await store.Memberships.PlanAsync(scope.DirectoryId, id, members, cancellationToken)
            : null;

        var stored = current;
        if (outcome.ResourceChanged && plan is { IsEmpty: false } both)
        {
            stored = await WriteDocumentAndMembersAsync(scope, current, outcome.Resource, both, patch, ifMatch, cancellationToken);
        }
        else if (outcome.ResourceChanged)
        {
            stored = await WriteDocumentAsync(scope, current, outcome.Resource, patch, ifMatch, cancellationToken);
        }
        else if (plan is { IsEmpty: false })
        {
            var waiver = await signals.MembershipWaiverAsync(scope.DirectoryId, stored, cancellationToken);
            var change = await store.Memberships.CommitAsync(scope.DirectoryId, stored, plan, cancellationToken, waiver);
            await signals.UsersChangedAsync(scope.DirectoryId, change.UsersToRecompute, cancellationToken);
            stored = change.Group ?? stored;
        }

        if (!returnBody) return new RenderedResource(stored.Id, stored.Version, scope.LocationOf(ScimResourceType.Group, id), Body: null);
        return await renderer.RenderStreamingAsync(scope, ScimResourceType.Group, stored, selection, cancellationToken);
    }

    /// <summary>
    /// Writes the patched document and the member change together (<see cref="IGroupMemberships.ReplaceGroupAsync"/>:
    /// one transaction for up to <see cref="MembershipStore.MembersInReplace"/> users). When another write got in
    /// since the read and the client sent no strict If-Match, nothing was written: the PATCH is applied again to a fresh read.
    /// </summary>
    private async Task<StoredResource> WriteDocumentAndMembersAsync(ScimScope scope, StoredResource current, JsonObject patched, MembershipPlan plan, PatchRequest patch, string? ifMatch, CancellationToken cancellationToken)
    {
        var strictVersion = ifMatch is not null && ifMatch.Trim() != "*";
        for (var attempt = 1; ; attempt++)
        {
            // The waiver is for the group as this write leaves it: its new name, its creation time.
            var waiver = await signals.MembershipWaiverAsync(scope.DirectoryId, current with { Document = patched }, cancellationToken);
            MembershipChangeResult change;
            try
            {
                change = await store.Memberships.ReplaceGroupAsync(scope.DirectoryId, current, patched, plan, cancellationToken, waiver);
            }
            catch (VersionMismatchException) when (!strictVersion && attempt < MaxConcurrencyAttempts)
            {
                current = await store.Groups.GetAsync(scope.DirectoryId, current.Id, cancellationToken)
                    ?? throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, current.Id);
                patched = PatchEngine.Apply(current.Document, patch, ScimResourceType.Group.Schema).Resource;
                continue;
            }
            await signals.GroupWrittenAsync(scope.DirectoryId, current, change, cancellationToken);
            var stored = change.Group ?? current;
            return stored;
        }
    }

    /// <summary>Writes the patched document over the version read; a rename prompts the group's role recompute.</summary>
    private async Task<StoredResource> WriteDocumentAsync(ScimScope scope, StoredResource current, JsonObject patched, PatchRequest patch, string? ifMatch, CancellationToken cancellationToken)
    {
        var nameBefore = JsonNodes.GetString(current.Document, "displayName");
        StoredResource stored;
        try
        {
            stored = await store.Groups.WriteAsync(scope.DirectoryId, current, patched, cancellationToken);
        }
        catch (VersionMismatchException) when (ifMatch is null || ifMatch.Trim() == "*")
        {
            // Another write got in since the read: apply the PATCH to what it left (the store retries further races).
            stored = await store.Groups.UpdateAsync(scope.DirectoryId, current.Id, document =>
            {
                nameBefore = JsonNodes.GetString(document, "displayName");
                return PatchEngine.Apply(document, patch, ScimResourceType.Group.Schema).Resource;
            }, ifMatch, cancellationToken);
        }
        if (!string.Equals(nameBefore, JsonNodes.GetString(stored.Document, "displayName"), StringComparison.Ordinal))
        {
            await signals.GroupChangedAsync(scope.DirectoryId, current.Id, cancellationToken);
        }
        return stored;
    }
}
