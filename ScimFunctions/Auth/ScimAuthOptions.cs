namespace ScimFunctions.Auth;

public sealed class ScimAuthOptions
{
    /// <summary>How long a looked-up token (and directory state) is trusted; also the longest a revoked
    /// token, or a disabled or deleted directory, keeps working on another instance.</summary>
    public TimeSpan TokenCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long "no such token" is remembered, so repeated bad tokens do not each cost a vault read.</summary>
    public TimeSpan NegativeCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retry-After sent with 503 when the token store cannot be reached.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Entries kept per cache before expired ones are swept (bounds memory under a flood of bad tokens).</summary>
    public int CacheCapacity { get; set; } = 50_000;

    /// <summary>Bad bearer tokens one client address may present to one directory within
    /// <see cref="AuthFailureWindow"/> before its further bad tokens are answered 429 (see <see cref="AuthFailureLimiter"/>).</summary>
    public int AuthFailureLimit { get; set; } = 30;

    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    public string TokensTableName { get; set; } = "scimtokens";
    public string DevelopmentTokenHashesTableName { get; set; } = "scimdevtokenhashes";
}
