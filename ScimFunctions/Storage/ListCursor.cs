namespace ScimFunctions.Storage;

/// <summary>
/// RFC 9865 cursors of SCIM lists: an <see cref="OpaqueCursor"/> whose payload is the id of the last resource
/// returned (16 bytes), of the list's kind. The decoded id is a server id, so it can become part of a key range.
/// </summary>
public static class ListCursor
{
    private const int IdBytes = 16;

    public static string Encode(string directoryId, ResourceKind kind, string lastId) =>
        OpaqueCursor.Encode(directoryId, KindOf(kind), Convert.FromHexString(lastId));

    /// <summary>The id after which the next page starts, or null if the cursor is not valid here.</summary>
    public static string? Decode(string cursor, string directoryId, ResourceKind kind) =>
        OpaqueCursor.Decode(cursor, directoryId, KindOf(kind)) is { Length: IdBytes } id ? Convert.ToHexStringLower(id) : null;

    private static CursorKind KindOf(ResourceKind kind) => kind == ResourceKind.User ? CursorKind.Users : CursorKind.Groups;
}
