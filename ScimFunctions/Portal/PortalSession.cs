namespace ScimFunctions.Portal;

/// <summary>A browser session redeemed from a link: bound to the link's directory (null: operator) and scopes,
/// valid until <see cref="ExpiresAt"/> (sliding) and never past the link's own expiry or revocation.</summary>
public sealed record PortalSession(string? DirectoryId, string LinkId, string SessionHash, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt)
{
    public bool IsOperator => DirectoryId is null;

    /// <summary>Whether this session may act on <paramref name="directoryId"/>.</summary>
    public bool Covers(string directoryId) => IsOperator || string.Equals(DirectoryId, directoryId, StringComparison.Ordinal);

    /// <summary>Operator sessions hold every scope.</summary>
    public bool Allows(string scope) => IsOperator || Scopes.Contains(scope, StringComparer.Ordinal);
}
