using ScimFunctions.Scim.Patch;

namespace ScimFunctions.Provisioning;

/// <summary>
/// Member lists as clients send them, turned into a <see cref="MembershipChange"/>. Groups do not nest here, so
/// every member must be a user of the directory; a member's <c>type</c> is the client's label, not a rule — the
/// id decides (a user id sent as <c>"type": "Group"</c> is the user it is; a group id is refused as not a user).
/// </summary>
internal static class GroupMembers
{
    /// <summary>The members of a POST or PUT body: exactly these users (replace-all).</summary>
    public static MembershipChange Exactly(IReadOnlyList<MemberRef> members) =>
        MembershipChange.ReplaceWith(members.Select(m => m.Value));
}
