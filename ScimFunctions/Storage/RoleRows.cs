using System.Text.Json;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>The properties of the role rows of a directory's partition (configuration, assignments), and how a
/// role list is kept in them: a JSON array of role keys.</summary>
public static class RoleRows
{
    public const string DisplayNameProperty = "DisplayName";
    public const string DescriptionProperty = "Description";
    public const string RoleProperty = "Role";
    public const string RolesProperty = "Roles";
    public const string GroupProperty = "Group";
    public const string VersionProperty = "Version";
    public const string ComputedAtProperty = "ComputedAt";

    public static string WriteRoles(IEnumerable<string> roles) => JsonSerializer.Serialize(roles);

    /// <exception cref="InvalidDataException">the row holds no readable role list; a recompute must not guess</exception>
    public static IReadOnlyList<string> ReadRoles(TableEntity row)
    {
        var text = row.GetString(RolesProperty) ?? throw new InvalidDataException($"Row {row.RowKey} has no roles.");
        try
        {
            return JsonSerializer.Deserialize<string[]>(text) ?? throw new InvalidDataException($"Row {row.RowKey} holds no role list.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Row {row.RowKey} holds an unreadable role list.", exception);
        }
    }
}
