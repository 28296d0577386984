using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Row keys of the roles feature, in the directory's partition of the SCIM table (beside users and groups, so
/// a role change and its bookkeeping commit in one transaction):
/// <list type="table">
/// <item><term><c>roleconf|role|{key}</c></term><description>a role the app defines: DisplayName, Description</description></item>
/// <item><term><c>roleconf|default</c></term><description>the default role of active users in no mapped group</description></item>
/// <item><term><c>roleconf|map|id|{groupId}</c>, <c>roleconf|map|name|{folded}</c></term><description>a group → roles mapping</description></item>
/// <item><term><c>roles|{userId}</c></term><description>the computed assignment: Roles (JSON array), Version, ComputedAt</description></item>
/// <item><term><c>roleHolder|{key}|{userId}</c></term><description>reverse index of assignments, written with them</description></item>
/// <item><term><c>roleOutbox|{key}</c>, <c>directoryOutbox|all</c></term><description>every holder of a deleted role / every user must be recomputed</description></item>
/// <item><term><c>roleHealth</c></term><description>recompute messages of this directory that ended in the poison queue</description></item>
/// </list>
/// All configuration sits under <c>roleconf|</c>, so a recompute reads it in one range query.
/// </summary>
public static class RoleKeys
{
    public const string ConfigPrefix = "roleconf|";
    public const string RoleDefinitionPrefix = "roleconf|role|";
    public const string DefaultRole = "roleconf|default";
    public const string GroupIdMappingPrefix = "roleconf|map|id|";
    public const string GroupNameMappingPrefix = "roleconf|map|name|";
    public const string AssignmentPrefix = "roles|";
    public const string HolderPrefix = "roleHolder|";
    public const string RoleOutboxPrefix = "roleOutbox|";
    public const string DirectoryOutbox = "directoryOutbox|all";
    public const string Health = "roleHealth";

    /// <summary>Role keys are what the app checks in code: 1-64 of letters, digits, <c>_ . : -</c>.</summary>
    public const int MaxRoleKeyLength = 64;

    public static bool IsValidRoleKey(string? key) =>
        key is { Length: > 0 and <= MaxRoleKeyLength } &&
        char.IsAsciiLetterOrDigit(key[0]) &&
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-');

    public static string RoleDefinition(string key) => RoleDefinitionPrefix + key;
    public static string GroupIdMapping(string groupId) => GroupIdMappingPrefix + groupId;
    public static string GroupNameMapping(string displayName) => GroupNameMappingPrefix + RowKeys.Folded(displayName);
    public static string Assignment(string userId) => AssignmentPrefix + userId;
    public static string HoldersOf(string roleKey) => HolderPrefix + roleKey + RowKeys.Separator;
    public static string Holder(string roleKey, string userId) => HoldersOf(roleKey) + userId;
    public static string RoleOutbox(string roleKey) => RoleOutboxPrefix + roleKey;
}
