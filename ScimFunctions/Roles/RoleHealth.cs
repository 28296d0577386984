namespace ScimFunctions.Roles;

/// <summary>
/// Keeps the health of each directory's recompute (the poison queue is shared, so the handler records in the
/// directory's <see cref="RoleHealthStore"/>, on a message's last try, that it is about to go there) and reads
/// the report. Reading costs 4 key-only range reads of the outbox rows, 1 point read and 1 queue-properties call.
/// </summary>
public sealed class RoleHealth(RoleHealthStore store, RoleRecomputeQueue queue, TimeProvider time)
{
    private const int MaxReasonLength = 500;

    /// <summary>Counts a message of this directory that failed its last try.</summary>
    public Task RecordPoisonedAsync(string directoryId, Exception failure, CancellationToken cancellationToken)
    {
        var reason = $"{failure.GetType().Name}: {failure.Message}";
        if (reason.Length > MaxReasonLength) reason = reason[..MaxReasonLength];
        return store.RecordPoisonedAsync(directoryId, reason, time.GetUtcNow(), cancellationToken);
    }

    public async Task<RoleHealthReport> ReadAsync(string directoryId, CancellationToken cancellationToken)
    {
        var (pendingUsers, fanOuts, oldest) = await store.ReadPendingAsync(directoryId, cancellationToken);
        var (poisoned, lastAt, lastReason) = await store.ReadPoisonedAsync(directoryId, cancellationToken);
        var poisonDepth = await queue.PoisonedCountAsync(cancellationToken);
        return new RoleHealthReport(pendingUsers, oldest, fanOuts, poisoned, lastAt, lastReason, poisonDepth);
    }
}
