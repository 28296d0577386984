using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>A cursor of the users holding a role: an <see cref="OpaqueCursor"/> of kind
/// <see cref="CursorKind.RoleHolders"/> whose payload is the last user id returned (16 bytes).</summary>
public static class RoleHolderCursor
{
    private const int IdBytes = 16;

    public static string Encode(string directoryId, string lastUserId) =>
        OpaqueCursor.Encode(directoryId, CursorKind.RoleHolders, Convert.FromHexString(lastUserId));

    /// <summary>The user id after which the next page starts, or null if the cursor is not valid here.</summary>
    public static string? Decode(string cursor, string directoryId) =>
        OpaqueCursor.Decode(cursor, directoryId, CursorKind.RoleHolders) is { Length: IdBytes } id ? Convert.ToHexStringLower(id) : null;
}
