using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>Members of the group hold these roles. <see cref="MappingId"/> names the mapping in URLs.</summary>
public sealed record GroupRoleMapping(GroupMatch Match, string Group, IReadOnlyList<string> Roles)
{
    public string MappingId => RoleMappingIds.For(Match, Group);
}
