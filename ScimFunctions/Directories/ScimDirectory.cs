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
    public const int MaxPortalFrameAncestors = 10;

    /// <summary>The https origins that may embed this directory's portal pages in a frame (CSP frame-ancestors); none by default.</summary>
    public IReadOnlyList<string> PortalFrameAncestors { get; init; } = [];

    /// <summary>Created since users' emails are indexed: every user has its email index rows, so an email look-up
    /// never scans (false for older directories).</summary>
    public bool EmailIndexedFromStart { get; init; }

    /// <summary>An origin a portal page may be framed by: <c>https://host[:port]</c>, nothing else (no path, no wildcard).
    /// Returns it normalised (lowercase, no trailing slash), or null.</summary>
    public static string? NormaliseFrameAncestor(string? value)
    {
        if (value is null || value.Length > 256 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ';' or ',' or '*' or '\'' or '"')) return null;
        if (!Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps) return null;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || uri.HostNameType == UriHostNameType.Unknown) return null;
        return uri.IsDefaultPort ? $"https://{uri.IdnHost}" : $"https://{uri.IdnHost}:{uri.Port}";
    }

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
