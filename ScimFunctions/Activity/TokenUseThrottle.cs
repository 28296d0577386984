using System.Collections.Concurrent;

namespace ScimFunctions.Activity;

/// <summary>Decides when a token's last use is worth a write: at most once per interval per token per instance.</summary>
public sealed class TokenUseThrottle(TimeSpan interval)
{
    private readonly ConcurrentDictionary<(string DirectoryId, string TokenId), DateTimeOffset> written = new();

    public bool ShouldWrite(string directoryId, string tokenId, DateTimeOffset now)
    {
        var key = (directoryId, tokenId);
        if (written.TryGetValue(key, out var last) && now - last < interval) return false;
        written[key] = now;
        return true;
    }

    /// <summary>The write failed: let the next flush try again.</summary>
    public void Forget(string directoryId, string tokenId) => written.TryRemove((directoryId, tokenId), out _);
}
