namespace ScimFunctions.Scim.Patch;

/// <summary>A group member as a PATCH names it. <see cref="Type"/> is "User" or "Group" when the client said.</summary>
public sealed record MemberRef(string Value, string? Type = null, string? Display = null);

/// <summary>
/// The net membership change of one PATCH, so storage can apply it to member rows without reading the group:
/// with <see cref="ReplaceAll"/>, the group's members become exactly <see cref="Added"/>; otherwise remove
/// <see cref="Removed"/> and add <see cref="Added"/> (the two never share an id).
/// </summary>
public sealed record MemberDelta(bool ReplaceAll, IReadOnlyList<MemberRef> Added, IReadOnlyList<string> Removed)
{
    public bool IsEmpty => !ReplaceAll && Added.Count == 0 && Removed.Count == 0;
}

/// <summary>Folds membership operations, in order, into one <see cref="MemberDelta"/>.</summary>
internal sealed class MemberDeltaBuilder
{
    // The order lists may hold ids no longer in their set (or twice); Build skips those, so that adding
    // and removing thousands of members stays linear instead of searching the lists on every removal.
    private readonly Dictionary<string, MemberRef> _added = new(StringComparer.Ordinal);
    private readonly List<string> _addedOrder = [];
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private readonly List<string> _removedOrder = [];
    private bool _replaceAll;
    private bool _touched;

    public void Add(MemberRef member)
    {
        _touched = true;
        _removed.Remove(member.Value);
        if (_added.TryAdd(member.Value, member)) _addedOrder.Add(member.Value);
    }

    public void Remove(string memberId)
    {
        _touched = true;
        _added.Remove(memberId);
        if (!_replaceAll && _removed.Add(memberId)) _removedOrder.Add(memberId);
    }

    public void ReplaceWith(IEnumerable<MemberRef> members)
    {
        _touched = true;
        _replaceAll = true;
        _added.Clear();
        _addedOrder.Clear();
        _removed.Clear();
        _removedOrder.Clear();
        foreach (var member in members) Add(member);
    }

    public MemberDelta? Build()
    {
        if (!_touched) return null;
        var added = new HashSet<string>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        return new MemberDelta(
            _replaceAll,
            _addedOrder.Where(id => _added.ContainsKey(id) && added.Add(id)).Select(id => _added[id]).ToArray(),
            _removedOrder.Where(id => _removed.Contains(id) && removed.Add(id)).ToArray());
    }
}

/// <summary>The result of a PATCH: the new document, and for groups the membership change to apply beside it.</summary>
/// <param name="Resource">The patched document (a new object; the input is never modified).</param>
/// <param name="Members">Null when no operation touched membership.</param>
/// <param name="ResourceChanged">False when the document is unchanged, e.g. a membership-only PATCH.</param>
public sealed record PatchOutcome(System.Text.Json.Nodes.JsonObject Resource, MemberDelta? Members, bool ResourceChanged);
