namespace ScimFunctions.Roles;

/// <summary>A user's assignment as stored, with the version of the row it was read from.</summary>
public sealed record StoredAssignment(IReadOnlyList<string> Roles, long Version, string RowVersion);
