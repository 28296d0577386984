namespace ScimFunctions.Storage;

/// <summary>What an <see cref="OpaqueCursor"/> pages through; a cursor of one kind never decodes as another.</summary>
public enum CursorKind : byte
{
    /// <summary>SCIM list of users (the byte is <see cref="ResourceKind.User"/>'s code).</summary>
    Users = (byte)'u',

    /// <summary>SCIM list of groups (the byte is <see cref="ResourceKind.Group"/>'s code).</summary>
    Groups = (byte)'g',

    /// <summary>A directory's change feed.</summary>
    Changes = (byte)'c',

    /// <summary>The users holding a role.</summary>
    RoleHolders = (byte)'h',
}
