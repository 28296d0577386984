using ScimFunctions.Storage;

namespace ScimFunctions.ChangeFeed;

/// <summary>
/// Reads a directory's <see cref="ChangeLog"/> after a cursor: one range read from the cursor's key, so the cost
/// follows the number of changes returned, never the size of the directory. Only rows stamped before
/// <c>now − settle window</c> are served, so a write stamped earlier but committed later is not skipped; the
/// returned cursor is the last entry served, or the settle boundary when the page is not full.
/// Cursors (<see cref="ChangeFeedCursor"/>) are bound to the directory and expire with the log's retention.
/// </summary>
public sealed class ChangeFeedReader(ChangeLogStore log, ChangeFeedOptions options, TimeProvider time)
{
    public const int MaxPageSize = 1000;

    /// <summary>The cursor value that asks for "from now on".</summary>
    public const string Now = "now";

    /// <param name="cursor">null: from the oldest retained change; <see cref="Now"/>: an empty page whose cursor starts here.</param>
    /// <exception cref="InvalidCursorException">a cursor not issued for this directory, or older than the retention</exception>
    public async Task<ChangePage> ReadAsync(string directoryId, string? cursor, int count, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var upper = PartitionLayout.ChangeFloor(now - options.SettleWindow);
        if (cursor == Now) return new ChangePage([], ChangeFeedCursor.Encode(directoryId, upper), false);

        string? after = null;
        if (cursor is { Length: > 0 })
        {
            after = ChangeFeedCursor.Decode(cursor, directoryId) ?? throw new InvalidCursorException();
            if (string.CompareOrdinal(after, PartitionLayout.ChangeFloor(now - options.Retention)) < 0) throw new InvalidCursorException();
        }
        var (changes, more) = await log.ReadAsync(directoryId, after, upper, Math.Clamp(count, 1, MaxPageSize), cancellationToken);
        var next = more ? changes[^1].Key : upper;
        if (after is not null && string.CompareOrdinal(next, after) < 0) next = after; // never move a cursor backwards
        return new ChangePage([.. changes.Select(c => c.Entry)], ChangeFeedCursor.Encode(directoryId, next), more);
    }
}
