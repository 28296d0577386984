namespace ScimFunctions.Roles;

/// <summary>Role keys are what the app checks in code: 1-64 of letters, digits, <c>_ . : -</c>.</summary>
public static class RoleKey
{
    public const int MaxLength = 64;

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } &&
        char.IsAsciiLetterOrDigit(key[0]) &&
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-');
}
