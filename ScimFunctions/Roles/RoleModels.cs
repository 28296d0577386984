using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>A role the app defines; <see cref="Key"/> is what the app checks, the rest is for people.</summary>
public sealed record RoleDefinition(string Key, string DisplayName, string? Description);

/// <summary>How a mapping names its group: by id, or by displayName for a group the IdP has not pushed yet
/// (matched case-insensitively against the group's current displayName).</summary>
public enum GroupMatch { Id, DisplayName }

/// <summary>Members of the group hold these roles. <see cref="MappingId"/> names the mapping in URLs.</summary>
public sealed record GroupRoleMapping(GroupMatch Match, string Group, IReadOnlyList<string> Roles)
{
    public string MappingId => RoleMappingIds.For(Match, Group);
}

/// <summary>A user's computed roles. <see cref="Version"/> grows by one each time the set changes.</summary>
public sealed record RoleAssignment(string UserId, IReadOnlyList<string> Roles, long Version, DateTimeOffset ComputedAt);

/// <summary>A directory's roles, default role and mappings, as one range read returns them.</summary>
public sealed record RoleConfiguration(
    IReadOnlyDictionary<string, RoleDefinition> Roles,
    string? DefaultRole,
    IReadOnlyList<GroupRoleMapping> Mappings)
{
    public static readonly RoleConfiguration Empty = new(new Dictionary<string, RoleDefinition>(), null, []);
}

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

/// <summary>Mapping ids in URLs: <c>id-{groupId}</c> or <c>name-{base64url of the folded name key}</c>.</summary>
public static class RoleMappingIds
{
    public static string For(GroupMatch match, string group) => match == GroupMatch.Id
        ? "id-" + group
        : "name-" + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(PartitionLayout.Folded(group)));

    /// <summary>The row key a mapping id stands for, or null if it is not one of ours.</summary>
    public static string? RowKeyOf(string mappingId)
    {
        if (mappingId.StartsWith("id-", StringComparison.Ordinal))
        {
            var groupId = mappingId[3..];
            return PartitionLayout.IsServerId(groupId) ? PartitionLayout.GroupIdMapping(groupId) : null;
        }
        if (!mappingId.StartsWith("name-", StringComparison.Ordinal) || mappingId.Length > 400) return null;
        try
        {
            var folded = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(mappingId.AsSpan(5)));
            return folded.Length == 0 || folded.Contains(PartitionLayout.Separator) ? null : PartitionLayout.GroupNameMappingOfFolded(folded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
