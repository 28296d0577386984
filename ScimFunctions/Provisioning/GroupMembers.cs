using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;

namespace ScimFunctions.Provisioning;

/// <summary>Member lists as clients send them, turned into a <see cref="MembershipChange"/>; groups as
/// members (nesting) are not supported.</summary>
internal static class GroupMembers
{
    /// <summary>The members of a POST or PUT body: exactly these users (replace-all).</summary>
    public static MembershipChange Exactly(IReadOnlyList<MemberRef> members)
    {
        RejectGroups(members);
        return MembershipChange.ReplaceWith(members.Select(m => m.Value));
    }

    /// <summary>A PATCH's membership change, refused when it adds a group.</summary>
    public static MembershipChange Checked(MembershipChange change)
    {
        RejectGroups(change.Added);
        return change;
    }

    private static void RejectGroups(IEnumerable<MemberRef> members)
    {
        if (members.FirstOrDefault(m => m.Type == "Group") is { } nested)
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"Member \"{nested.Value}\" is a Group; only users can be members (groups do not nest).");
        }
    }
}
