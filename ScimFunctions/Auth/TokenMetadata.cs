using ScimFunctions.Storage;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Directories;

namespace ScimFunctions.Auth;

/// <summary>What an admin sees about a token: never the token, never its hash.</summary>
public sealed record TokenMetadata(
    string DirectoryId,
    string TokenId,
    string Label,
    DateTimeOffset Created,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt)
{
    public const int MaxLabelLength = 100;

    /// <summary>When the token last authenticated a request (written at most once a minute per instance).</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The User-Agent of that request: which client holds the token.</summary>
    public string? LastUserAgent { get; init; }

    public string StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? "revoked" : ExpiresAt is { } expires && expires <= now ? "expired" : "active";
}
