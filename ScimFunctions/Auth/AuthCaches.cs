using ScimFunctions.Caching;
using ScimFunctions.Directories;

namespace ScimFunctions.Auth;

/// <summary>
/// The per-process caches behind request authentication, shared with the management services so a
/// revoke, disable or delete takes effect at once on the instance that handled it.
/// </summary>
public sealed class AuthCaches(ScimAuthOptions options, TimeProvider time)
{
    public CollapsingCache<(string DirectoryId, string TokenId), StoredTokenHash?> Tokens { get; } =
        new(time, found => found is null ? Shorter(options.NegativeCacheLifetime, options.TokenCacheLifetime) : options.TokenCacheLifetime, options.CacheCapacity);

    public CollapsingCache<string, ScimDirectory?> Directories { get; } =
        new(time, found => found is null ? Shorter(options.NegativeCacheLifetime, options.TokenCacheLifetime) : options.TokenCacheLifetime, options.CacheCapacity);

    private static TimeSpan Shorter(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
