using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>One entry of the change feed: what changed (the app reads its current state if it cares).</summary>
public sealed record ChangeEntry(
    string Kind,
    string Operation,
    string Id,
    DateTimeOffset At,
    IReadOnlyList<string>? AddedUserIds,
    IReadOnlyList<string>? RemovedUserIds);

public sealed record ChangePage(IReadOnlyList<ChangeEntry> Changes, string Cursor, bool More);

/// <summary>
/// Reads a directory's <see cref="ChangeLog"/> after a cursor: one range read from the cursor's key, so the cost
/// follows the number of changes returned, never the size of the directory. Only rows stamped before
/// <c>now − settle window</c> are served, so a write stamped earlier but committed later is not skipped; the
/// returned cursor is the last entry served, or the settle boundary when the page is not full.
/// Cursors are bound to the directory by a hash (like list cursors) and expire with the log's retention.
/// </summary>
public sealed class ChangeFeed(ScimStore store, RoleOptions options)
{
    public const int MaxPageSize = 1000;

    /// <param name="cursor">null: from the oldest retained change; <see cref="Now"/>: an empty page whose cursor starts here.</param>
    /// <exception cref="InvalidCursorException">a cursor not issued for this directory, or older than the retention</exception>
    public async Task<ChangePage> ReadAsync(string directoryId, string? cursor, int count, CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync();
        var partition = PartitionLayout.Partition(directoryId);
        var now = DateTimeOffset.UtcNow;
        var upper = PartitionLayout.ChangeFloor(now - options.ChangeFeedSettleWindow);
        if (cursor == Now) return new ChangePage([], EncodeCursor(directoryId, upper), false);

        string? after = null;
        if (cursor is { Length: > 0 })
        {
            after = DecodeCursor(directoryId, cursor) ?? throw new InvalidCursorException();
            if (string.CompareOrdinal(after, PartitionLayout.ChangeFloor(now - options.ChangeLogRetention)) < 0) throw new InvalidCursorException();
        }
        count = Math.Clamp(count, 1, MaxPageSize);
        var filter = after is null
            ? ResourceStore.RangeFilter(partition, PartitionLayout.ChangePrefix, upper)
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after} and RowKey lt {upper}");
        var changes = new List<ChangeEntry>();
        string? lastKey = null;
        var more = false;
        await foreach (var row in store.Table.QueryAsync<TableEntity>(filter, Math.Min(MaxPageSize, count + 1), cancellationToken: cancellationToken))
        {
            if (changes.Count == count)
            {
                more = true;
                break;
            }
            changes.Add(ToEntry(row));
            lastKey = row.RowKey;
        }
        var next = more ? lastKey! : upper;
        if (after is not null && string.CompareOrdinal(next, after) < 0) next = after; // never move a cursor backwards
        return new ChangePage(changes, EncodeCursor(directoryId, next), more);
    }

    /// <summary>The cursor value that asks for "from now on".</summary>
    public const string Now = "now";

    private static ChangeEntry ToEntry(TableEntity row) => new(
        row.GetString(ChangeLog.KindProperty) ?? "",
        row.GetString(ChangeLog.OperationProperty) ?? "",
        row.GetString(ChangeLog.IdProperty) ?? "",
        PartitionLayout.ChangeStampOf(row.RowKey),
        SplitIds(row.GetString(ChangeLog.AddedProperty)),
        SplitIds(row.GetString(ChangeLog.RemovedProperty)));

    private static IReadOnlyList<string>? SplitIds(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries);

    internal static string EncodeCursor(string directoryId, string key)
    {
        var payload = Encoding.UTF8.GetBytes(key);
        return Base64Url.EncodeToString([.. payload, .. Check(directoryId, payload)]);
    }

    internal static string? DecodeCursor(string directoryId, string cursor)
    {
        if (cursor.Length > 200) return null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length <= 8) return null;
        var payload = bytes.AsSpan(0, bytes.Length - 8);
        if (!CryptographicOperations.FixedTimeEquals(Check(directoryId, payload), bytes.AsSpan(bytes.Length - 8))) return null;
        var key = Encoding.UTF8.GetString(payload);
        return key.StartsWith(PartitionLayout.ChangePrefix, StringComparison.Ordinal) && key.Length >= PartitionLayout.ChangePrefix.Length + 19 ? key : null;
    }

    private static byte[] Check(string directoryId, ReadOnlySpan<byte> payload)
    {
        var input = new byte[Encoding.UTF8.GetByteCount(directoryId) + 1 + payload.Length];
        var written = Encoding.UTF8.GetBytes(directoryId, input);
        input[written] = 0;
        payload.CopyTo(input.AsSpan(written + 1));
        return SHA256.HashData(input)[..8];
    }
}
