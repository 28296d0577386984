namespace ScimFunctions.Scim.Patch;

/// <summary>
/// The net change of a group's members, as one PATCH, PUT or POST expresses it, applied to member rows
/// without reading the group's member list: with <see cref="ReplaceAll"/>, the members become exactly
/// <see cref="Added"/>; otherwise remove <see cref="Removed"/> and add <see cref="Added"/> (never the same id).
/// </summary>
public sealed record MembershipChange(bool ReplaceAll, IReadOnlyList<MemberRef> Added, IReadOnlyList<string> Removed)
{
    public bool IsEmpty => !ReplaceAll && Added.Count == 0 && Removed.Count == 0;

    /// <summary>The ids of <see cref="Added"/>, each once, in order.</summary>
    public IReadOnlyList<string> AddedIds => Added.Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();

    public static MembershipChange Add(params IEnumerable<string> userIds) => new(false, Refs(userIds), []);

    public static MembershipChange Remove(params IEnumerable<string> userIds) =>
        new(false, [], userIds.Distinct(StringComparer.Ordinal).ToArray());

    public static MembershipChange ReplaceWith(params IEnumerable<string> userIds) => new(true, Refs(userIds), []);

    private static MemberRef[] Refs(IEnumerable<string> userIds) =>
        userIds.Distinct(StringComparer.Ordinal).Select(id => new MemberRef(id)).ToArray();
}
