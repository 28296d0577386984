namespace ScimFunctions.Scim.Patch;

/// <summary>Folds membership operations, in order, into one <see cref="MembershipChange"/>.</summary>
internal sealed class MembershipChangeBuilder
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

    public MembershipChange? Build()
    {
        if (!_touched) return null;
        var added = new HashSet<string>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        return new MembershipChange(
            _replaceAll,
            _addedOrder.Where(id => _added.ContainsKey(id) && added.Add(id)).Select(id => _added[id]).ToArray(),
            _removedOrder.Where(id => _removed.Contains(id) && removed.Add(id)).ToArray());
    }
}
