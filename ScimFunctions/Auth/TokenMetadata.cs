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

    /// <summary>At most this many tokens of a directory are active at once: one in use and one being rolled over.</summary>
    public const int MaxActive = 2;

    /// <summary>The token's last four characters, kept at mint so an admin can tell tokens apart (null for older tokens).</summary>
    public string? Last4 { get; init; }

    /// <summary>The active-token slot the token holds until it is revoked or expires.</summary>
    public int? Slot { get; init; }

    /// <summary>When the token last authenticated a request (written at most once a minute per instance).</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The User-Agent of that request: which client holds the token.</summary>
    public string? LastUserAgent { get; init; }

    public string StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? "revoked" : ExpiresAt is { } expires && expires <= now ? "expired" : "active";
}
