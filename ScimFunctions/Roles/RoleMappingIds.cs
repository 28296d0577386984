using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

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
