using System.Collections.Concurrent;

namespace ScimFunctions.Auth;

/// <summary>
/// Slows a client that keeps presenting bad bearer tokens to a directory: per directory and client address, an
/// in-process sliding window of its bad-token failures; past <see cref="ScimAuthOptions.AuthFailureLimit"/> in
/// <see cref="ScimAuthOptions.AuthFailureWindow"/>, its further bad tokens are answered 429 with Retry-After
/// instead of 401. Only failures are counted and only failures are refused: a valid token is authenticated as
/// always, so neither another client nor a guesser at the IdP's own address can lock the IdP out.
/// </summary>
public sealed class AuthFailureLimiter(ScimAuthOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Directory, string Client), Queue<DateTimeOffset>> _windows = new();

    /// <summary>The failures a bad bearer value causes (not a disabled directory or an outage).</summary>
    public static bool IsBadToken(ScimAuthFailure failure) => failure is
        ScimAuthFailure.MissingOrMalformedToken or ScimAuthFailure.UnknownOrRevokedToken or ScimAuthFailure.TokenMismatch or ScimAuthFailure.WrongDirectory;

    /// <summary>Records a bad token from <paramref name="client"/>; when that puts it over the limit, how long
    /// until its oldest counted failure leaves the window (the Retry-After), else null.</summary>
    public TimeSpan? RecordFailure(string directoryId, string client)
    {
        var now = time.GetUtcNow();
        var key = (directoryId, client);
        if (!_windows.TryGetValue(key, out var window))
        {
            // A flood of addresses or directory ids must not grow memory without bound: forget quiet clients,
            // and stop tracking new ones (they get plain 401s) while the table is still full.
            if (_windows.Count >= options.CacheCapacity) Sweep(now);
            if (_windows.Count >= options.CacheCapacity) return null;
            window = _windows.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        }
        lock (window)
        {
            while (window.TryPeek(out var oldest) && oldest <= now - options.AuthFailureWindow) window.Dequeue();
            window.Enqueue(now);
            // Keeping one more than the limit is enough to know whether the window is over it.
            while (window.Count > options.AuthFailureLimit + 1) window.Dequeue();
            if (window.Count <= options.AuthFailureLimit) return null;
            var wait = window.Peek() + options.AuthFailureWindow - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            bool quiet;
            lock (window) quiet = !window.TryPeek(out _) || window.Last() <= now - options.AuthFailureWindow;
            if (quiet) _windows.TryRemove(key, out _);
        }
    }
}
