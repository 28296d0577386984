namespace ScimFunctions.Roles;

/// <summary>How many users would gain and lose one role.</summary>
public sealed record RoleChangeCount(string Role, int Gain, int Lose);
