using System.Collections.Concurrent;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>
/// What one directory should hold: users, groups, memberships and the role configuration, changed only when the
/// server acknowledged a write (2xx). The roles each user should have follow from it by the documented rules:
/// none when inactive; else the roles mapped from its groups (by id, or by the group's current name, compared
/// case-insensitively), or the default role when those are none. Every change is noted in the history of the
/// resources it touched, which a failure prints.
/// </summary>
public sealed class SyncModel
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ModelUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelGroup> _groups = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deletedUsers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deletedGroups = new(StringComparer.Ordinal);
    private readonly HashSet<string> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _idMappings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _nameMappings = new(StringComparer.Ordinal);
    private string? _defaultRole;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _history = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ModelUser> Users { get { lock (_gate) return [.. _users.Values]; } }
    public IReadOnlyCollection<ModelGroup> Groups { get { lock (_gate) return [.. _groups.Values]; } }
    public IReadOnlyCollection<string> DeletedUsers { get { lock (_gate) return [.. _deletedUsers]; } }
    public IReadOnlyCollection<string> DeletedGroups { get { lock (_gate) return [.. _deletedGroups]; } }
    public IReadOnlyCollection<string> Roles { get { lock (_gate) return [.. _roles]; } }

    /// <summary>Every id the server ever acknowledged creating: the change feed may name no other.</summary>
    public bool WasAcknowledged(string id) { lock (_gate) return _users.ContainsKey(id) || _groups.ContainsKey(id) || _deletedUsers.Contains(id) || _deletedGroups.Contains(id); }

    public ModelUser? User(string id) { lock (_gate) return _users.GetValueOrDefault(id); }
    public ModelGroup? Group(string id) { lock (_gate) return _groups.GetValueOrDefault(id); }

    public void Note(string key, string line) => _history.GetOrAdd(key, _ => new ConcurrentQueue<string>()).Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

    public string HistoryOf(string key) => _history.TryGetValue(key, out var lines) ? string.Join(Environment.NewLine, lines.Select(l => "    " + l)) : "    (no history)";

    public void PutUser(ModelUser user, string what)
    {
        lock (_gate) _users[user.Id] = user;
        Note(user.Id, what);
        Note(NameKey(user.UserName), $"{what} (id {user.Id})");
    }

    public void DeleteUser(string id, string what)
    {
        lock (_gate)
        {
            if (_users.Remove(id, out var user)) Note(NameKey(user.UserName), $"{what} (id {id})");
            _deletedUsers.Add(id);
            foreach (var group in _groups.Values.Where(g => g.Members.Contains(id)).ToList())
            {
                _groups[group.Id] = group with { Members = group.Members.Where(m => m != id).ToHashSet(StringComparer.Ordinal) };
            }
        }
        Note(id, what);
    }

    public void PutGroup(ModelGroup group, string what)
    {
        lock (_gate) _groups[group.Id] = group;
        Note(group.Id, what);
        foreach (var member in group.Members) Note(member, $"member of {group.Id} after: {what}");
    }

    public void DeleteGroup(string id, string what)
    {
        lock (_gate)
        {
            _groups.Remove(id);
            _deletedGroups.Add(id);
        }
        Note(id, what);
    }

    public void DefineRole(string key) { lock (_gate) _roles.Add(key); Note("roles", $"define {key}"); }

    public void SetDefaultRole(string? key) { lock (_gate) _defaultRole = key; Note("roles", $"default role {key ?? "(none)"}"); }

    public void MapById(string groupId, string[] roles) { lock (_gate) _idMappings[groupId] = roles; Note("roles", $"map id {groupId} → {string.Join(",", roles)}"); }

    public void MapByName(string name, string[] roles) { lock (_gate) _nameMappings[Fold(name)] = roles; Note("roles", $"map name '{name}' → {string.Join(",", roles)}"); }

    public void Unmap(bool byId, string group)
    {
        lock (_gate) { if (byId) _idMappings.Remove(group); else _nameMappings.Remove(Fold(group)); }
        Note("roles", $"unmap {(byId ? "id" : "name")} {group}");
    }

    /// <summary>The roles a user should hold now, sorted.</summary>
    public IReadOnlyList<string> RolesOf(string userId)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var user) || !user.Active) return [];
            var roles = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var group in _groups.Values.Where(g => g.Members.Contains(userId)))
            {
                if (_idMappings.TryGetValue(group.Id, out var byId)) roles.UnionWith(byId.Where(_roles.Contains));
                if (_nameMappings.TryGetValue(Fold(group.DisplayName), out var byName)) roles.UnionWith(byName.Where(_roles.Contains));
            }
            if (roles.Count == 0 && _defaultRole is { } fallback && _roles.Contains(fallback)) roles.Add(fallback);
            return [.. roles];
        }
    }

    public string RoleConfigurationText()
    {
        lock (_gate)
        {
            return $"default {_defaultRole ?? "(none)"}; by id: {string.Join("; ", _idMappings.Select(m => $"{m.Key}→{string.Join(",", m.Value)}"))}; " +
                $"by name: {string.Join("; ", _nameMappings.Select(m => $"{m.Key}→{string.Join(",", m.Value)}"))}";
        }
    }

    public static string NameKey(string userName) => "userName:" + Fold(userName);

    private static string Fold(string value) => value.ToUpperInvariant();
}
