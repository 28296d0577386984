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

    /// <summary>On an assignment row: the role set a change too large for one transaction is writing the holder
    /// rows of; removed by the change's final write.</summary>
    public const string StagedRolesProperty = "StagedRoles";

    /// <summary>The staged role set of an assignment row, or null when no change is half-done.</summary>
    public static IReadOnlyList<string>? ReadStagedRoles(TableEntity row)
    {
        if (row.GetString(StagedRolesProperty) is not { } text) return null;
        try
        {
            return JsonSerializer.Deserialize<string[]>(text) ?? throw new InvalidDataException($"Row {row.RowKey} holds no staged role list.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Row {row.RowKey} holds an unreadable staged role list.", exception);
        }
    }

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
