namespace ScimFunctions.Activity;

/// <summary>
/// Folds a flush's entries into a directory's status row and records each change of connection state (to
/// <c>connected</c> or <c>failing</c>, see <see cref="ConnectionStatus"/>) once in the <see cref="IConnectionEventLog"/>.
/// Exactly once, across crashes and instances: the status row is written conditionally (ETag), and an
/// announcement first claims a key in it (<see cref="ConnectionRecord.PendingKey"/>), then writes the entry at that
/// key, then confirms. A flush that finds a claim checks whether its entry exists: confirmed if so, otherwise
/// dropped and decided afresh, stamped at that time (an entry is never stamped in the past, where a reader's
/// cursor may already be). Cost per flush: 1 read and 1 write of the status row; an announcement adds 1 write of
/// the entry and 1 of the row; a leftover claim 1 point read.
/// </summary>
public sealed class ConnectionStatusUpdater(ActivityStore store, ActivityOptions options, TimeProvider time, IConnectionEventLog? events)
{
    private const int Tries = 3;

    /// <summary>Whether the status row was written (false when other writers kept winning the race).</summary>
    public async Task<bool> UpdateAsync(string directoryId, IReadOnlyList<ActivityEntry> entries, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Tries; attempt++)
        {
            var stored = await store.GetRecordAsync(directoryId, cancellationToken);
            var record = (stored ?? new ConnectionRecord()).With(entries, options.StatusWindow);
            if (events is null)
            {
                if (await store.TryPutRecordAsync(directoryId, record, cancellationToken) is not null) return true;
                continue;
            }
            var now = time.GetUtcNow();
            // A row written before announcements existed counts its state as told, so an upgrade invents no event.
            record = record with { AnnouncedState = record.AnnouncedState ?? (stored is null ? ConnectionStatus.Waiting : ConnectionStatus.Of(stored, now, options).State) };
            if (record.PendingKey is { } claimedKey)
            {
                var written = await events.ContainsAsync(directoryId, claimedKey, cancellationToken);
                record = record with { AnnouncedState = written ? record.PendingState : record.AnnouncedState, PendingKey = null, PendingState = null };
            }
            var state = ConnectionStatus.Of(record, now, options).State;
            if (state == record.AnnouncedState || state == ConnectionStatus.Waiting)
            {
                if (await store.TryPutRecordAsync(directoryId, record, cancellationToken) is not null) return true;
                continue;
            }
            var key = events.NewKey();
            var claimed = await store.TryPutRecordAsync(directoryId, record with { PendingKey = key, PendingState = state }, cancellationToken);
            if (claimed is null) continue;
            await events.AppendAsync(directoryId, key, state, cancellationToken);
            // If this confirmation is lost, the next flush finds the entry and confirms it.
            await store.TryPutRecordAsync(directoryId, claimed with { AnnouncedState = state, PendingKey = null, PendingState = null }, cancellationToken);
            return true;
        }
        return false;
    }
}
