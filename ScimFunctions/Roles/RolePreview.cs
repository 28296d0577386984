namespace ScimFunctions.Roles;

/// <summary>What a proposed role configuration would change: users whose roles differ, and per role the gains and losses.</summary>
public sealed record RolePreview(int UsersAffected, IReadOnlyList<RoleChangeCount> Changes);
