using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// The configuration with name mappings resolved to the groups that carry those names now: what a recompute
/// applies. Roles that are not (or no longer) defined are never assigned.
/// </summary>
public sealed class ResolvedRoleMap
{
    private readonly Dictionary<string, HashSet<string>> _rolesByGroupId;
    private readonly string? _defaultRole;

    public ResolvedRoleMap(RoleConfiguration configuration, IReadOnlyDictionary<string, string> groupIdsByMappedName)
    {
        _rolesByGroupId = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var mapping in configuration.Mappings)
        {
            var groupId = mapping.Match == GroupMatch.Id ? mapping.Group : groupIdsByMappedName.GetValueOrDefault(mapping.Group);
            if (groupId is null) continue;
            if (!_rolesByGroupId.TryGetValue(groupId, out var roles)) _rolesByGroupId[groupId] = roles = new HashSet<string>(StringComparer.Ordinal);
            roles.UnionWith(mapping.Roles.Where(configuration.Roles.ContainsKey));
        }
        _defaultRole = configuration.DefaultRole is { } key && configuration.Roles.ContainsKey(key) ? key : null;
    }

    /// <summary>The default role, when it is defined.</summary>
    public string? DefaultRole => _defaultRole;

    /// <summary>The (defined) roles members of a group hold through its mappings, sorted.</summary>
    public IReadOnlyCollection<string> RolesOfGroup(string groupId) =>
        _rolesByGroupId.TryGetValue(groupId, out var roles) ? roles.Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>The roles of a user: none when inactive or gone; else the roles mapped from its groups, or the
    /// default role when its groups map to none. Sorted, so equal sets compare equal.</summary>
    public IReadOnlyList<string> RolesFor(bool userExistsAndIsActive, IEnumerable<string> groupIds)
    {
        if (!userExistsAndIsActive) return [];
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var groupId in groupIds)
        {
            if (_rolesByGroupId.TryGetValue(groupId, out var mapped)) roles.UnionWith(mapped);
        }
        if (roles.Count == 0 && _defaultRole is not null) roles.Add(_defaultRole);
        return [.. roles];
    }
}
