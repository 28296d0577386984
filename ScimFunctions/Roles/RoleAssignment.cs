using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>A user's computed roles. <see cref="Version"/> grows by one each time the set changes.</summary>
public sealed record RoleAssignment(string UserId, IReadOnlyList<string> Roles, long Version, DateTimeOffset ComputedAt);
