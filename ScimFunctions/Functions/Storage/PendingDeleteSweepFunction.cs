using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Storage;

/// <summary>Every 5 minutes, finishes the user and group deletes of every directory that were cut short
/// after their first transaction (see <see cref="PendingDeleteSweeper"/>).</summary>
public sealed class PendingDeleteSweepFunction(PendingDeleteSweeper sweeper)
{
    [Function("SweepPendingDeletes")]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAllAsync(cancellationToken);
}
