namespace ScimFunctions.Portal;

/// <summary>A link that opens the portal for one directory (or, with <see cref="DirectoryId"/> null, for the
/// operator): what an admin sees about it, never its secret.</summary>
public sealed record PortalLink(
    string? DirectoryId,
    string Id,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastRedeemedAt)
{
    public const int MinLifetimeHours = 1;
    public const int MaxLifetimeHours = 720;
    public const int DefaultLifetimeHours = 168;

    public bool IsOperator => DirectoryId is null;

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}
