using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>A directory's roles, default role and mappings, as one range read returns them.</summary>
public sealed record RoleConfiguration(
    IReadOnlyDictionary<string, RoleDefinition> Roles,
    string? DefaultRole,
    IReadOnlyList<GroupRoleMapping> Mappings)
{
    /// <summary>The ETag of the configuration's version row as read (null: never changed), which the next change
    /// of the configuration must match.</summary>
    public string? Version { get; init; }

    public static readonly RoleConfiguration Empty = new(new Dictionary<string, RoleDefinition>(), null, []);
}
