namespace ScimFunctions.Scim.Patch;

/// <summary>Folds membership operations, in order, into one <see cref="MembershipChange"/>.</summary>
internal sealed class MembershipChangeBuilder
{
    private readonly Dictionary<string, MemberRef> _added = new(StringComparer.Ordinal);
    private readonly List<string> _addedOrder = [];
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private readonly List<string> _removedOrder = [];
    private bool _replaceAll;
    private bool _touched;

    public void Add(MemberRef member)
    {
        _touched = true;
        if (_removed.Remove(member.Value)) _removedOrder.Remove(member.Value);
        if (_added.TryAdd(member.Value, member)) _addedOrder.Add(member.Value);
    }

    public void Remove(string memberId)
    {
        _touched = true;
        if (_added.Remove(memberId)) _addedOrder.Remove(memberId);
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

    public MembershipChange? Build() => _touched
        ? new MembershipChange(_replaceAll, _addedOrder.Select(id => _added[id]).ToArray(), _removedOrder.ToArray())
        : null;
}
