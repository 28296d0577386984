namespace ScimFunctions.Webhooks;

/// <summary>
/// Where events go. <see cref="Events"/> and <see cref="Directories"/> are null for "all". The signing secret
/// is not here: only its version (<see cref="SecretVersion"/>), and during a rotation's overlap the previous
/// version, which signs too until <see cref="PreviousSecretExpiresAt"/>.
/// </summary>
public sealed record WebhookEndpoint(
    string Id,
    string Url,
    IReadOnlyList<string>? Events,
    IReadOnlyList<string>? Directories,
    bool Enabled,
    string? Description,
    DateTimeOffset Created,
    int SecretVersion,
    int? PreviousSecretVersion,
    DateTimeOffset? PreviousSecretExpiresAt,
    string ETag = "")
{
    public const int MaxDescriptionLength = 200;
    public const int MaxDirectories = 100;
    public const int MaxUrlLength = 2048;

    public bool Subscribes(string eventType) => Events is null || Events.Contains(eventType, StringComparer.Ordinal);

    public bool Covers(string directoryId) => Directories is null || Directories.Contains(directoryId, StringComparer.Ordinal);

    /// <summary>The secret versions that sign at <paramref name="now"/>: the current one, and the previous one during its overlap.</summary>
    public IReadOnlyList<int> SigningVersions(DateTimeOffset now) =>
        PreviousSecretVersion is { } previous && PreviousSecretExpiresAt is { } expires && expires > now
            ? [SecretVersion, previous]
            : [SecretVersion];
}
