namespace ScimFunctions.Directories;

/// <summary>The identity provider that pushes into a directory; it decides nothing, it is shown to admins.</summary>
public enum DirectoryProvider
{
    OneLogin,
    EntraId,
    Okta,
    Other,
}

public enum DirectoryState
{
    /// <summary>SCIM requests with a valid token are served.</summary>
    Active,

    /// <summary>SCIM requests get 403; data and tokens are kept.</summary>
    Disabled,

    /// <summary>Tokens are revoked and the data is being removed in the background.</summary>
    Deleting,
}

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
