using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// <c>PUT /Groups/{id}</c>: full replace, members included (left out means none). The member change is planned
/// first (the current member keys, 1 read per 1,000, and a check of each added id), so a bad member changes
/// nothing; then the group is read (1 read) and its document and member difference written together (see
/// <see cref="IGroupMemberships.ReplaceGroupAsync"/>: 1 transaction for a difference of up to
/// <see cref="MembershipStore.MembersInReplace"/> users, so a failure leaves the group as it was). The answer's
/// members are the ones kept and added, known from the plan, so nothing is read after the commit.
/// </summary>
public sealed class ReplaceGroupCommand(IDirectoryResources store, ResourceRenderer renderer, RoleSignals signals)
{
    /// <summary>Attempts when another write of the group gets in between the read and the write (no strict If-Match).</summary>
    private const int MaxConcurrencyAttempts = 5;

    /// <exception cref="InvalidStoreValueException">an added member is not a user of this directory; nothing was written</exception>
    public async Task<RenderedResource> ExecuteAsync(ScimScope scope, string id, JsonObject body, string? ifMatch, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var group = ScimNormaliser.NormaliseGroup(body);
        var plan = await store.Memberships.PlanAsync(scope.DirectoryId, id, GroupMembers.Exactly(group.Members), cancellationToken);
        var strictVersion = ifMatch is not null && ifMatch.Trim() != "*";
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.Groups.GetAsync(scope.DirectoryId, id, cancellationToken)
                ?? throw new ResourceNotFoundException(ResourceKind.Group.ResourceType, id);
            if (ifMatch is not null && !ResourceVersion.Matches(ifMatch, current.Version))
            {
                throw new VersionMismatchException(ResourceKind.Group.ResourceType, id);
            }
            var replacement = group.Resource.DeepClone().AsObject();
            // The waiver is for the group as this write leaves it: its new name, its creation time.
            var waiver = plan.IsEmpty ? null : await signals.MembershipWaiverAsync(scope.DirectoryId, current with { Document = replacement }, cancellationToken);
            MembershipChangeResult change;
            try
            {
                change = await store.Memberships.ReplaceGroupAsync(scope.DirectoryId, current, replacement, plan, cancellationToken, waiver);
            }
            catch (VersionMismatchException) when (!strictVersion && attempt < MaxConcurrencyAttempts)
            {
                continue; // another write got in between and nothing was written: replace what it left
            }
            await signals.GroupWrittenAsync(scope.DirectoryId, current, change, cancellationToken);
            var stored = change.Group ?? current;
            if (change.Added == plan.ToAdd.Count && plan.Kept is { } kept)
            {
                // The members are the kept and the added, all known: no read after the commit, which could fail a
                // request that has committed. (A user deleted meanwhile drops out of the change: then they are read.)
                var members = selection.Returns(ScimResourceType.Group.MembershipAttribute, ScimResourceType.Group)
                    ? ResourceRenderer.Members(scope, kept.Concat(plan.ToAdd).OrderBy(member => member.Key, StringComparer.Ordinal).Select(member => new MembershipReference(member.Key, member.Value)))
                    : null;
                return ResourceRenderer.Render(scope, ScimResourceType.Group, stored, members, selection);
            }
            return await renderer.RenderAsync(scope, ScimResourceType.Group, stored, selection, withMembership: true, cancellationToken);
        }
    }
}
