namespace ScimFunctions.Directories;

/// <summary>One customer organization: its own SCIM base URL, tokens and partition of SCIM data.</summary>
public sealed record ScimDirectory(
    string Id,
    string DisplayName,
    DirectoryProvider Provider,
    DirectoryState State,
    DateTimeOffset Created,
    DateTimeOffset LastModified,
    DateTimeOffset? DeletionRequested = null)
{
    public const int MaxDisplayNameLength = 256;

    /// <summary>Directory ids appear in URLs, table keys and Key Vault secret names, so they stay alphanumeric.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(char.IsAsciiLetterOrDigit);

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static bool TryParseProvider(string? value, out DirectoryProvider provider)
    {
        provider = default;
        return value is not null
            && !int.TryParse(value, out _)
            && Enum.TryParse(value.Replace(" ", "", StringComparison.Ordinal), ignoreCase: true, out provider)
            && Enum.IsDefined(provider);
    }
}
