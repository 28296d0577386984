using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>A role the app defines; <see cref="Key"/> is what the app checks, the rest is for people.</summary>
public sealed record RoleDefinition(string Key, string DisplayName, string? Description);
