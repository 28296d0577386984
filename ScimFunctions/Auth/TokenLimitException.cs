namespace ScimFunctions.Auth;

/// <summary>A mint refused because the directory already has its most active tokens; revoking one frees a slot.</summary>
public sealed class TokenLimitException(int maxActive)
    : Exception($"This directory already has {maxActive} active tokens. Revoke one first, then create the new one.")
{
    public int MaxActive { get; } = maxActive;
}
