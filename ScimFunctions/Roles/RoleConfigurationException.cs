using ScimFunctions.Scim;

namespace ScimFunctions.Roles;

/// <summary>A role configuration change that cannot be made (<see cref="Kind"/> says why); nothing changed.</summary>
public sealed class RoleConfigurationException(ScimErrorKind kind, string? scimType, string message) : Exception(message)
{
    public ScimErrorKind Kind { get; } = kind;
    public string? ScimType { get; } = scimType;
}
