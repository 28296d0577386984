using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimFunctions.ChangeFeed;

namespace ScimFunctions.Functions.ChangeFeed;

/// <summary>The timer that keeps each directory's change log within its retention.</summary>
public sealed class PruneChangeLogFunction(ChangeLogPruner pruner, ILogger<PruneChangeLogFunction> logger)
{
    [Function("PruneChangeLog")]
    public async Task Run([TimerTrigger("0 */15 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var pruned = await pruner.PruneAllAsync(cancellationToken);
        if (pruned > 0) logger.LogInformation("Change-log pruning deleted {Rows} rows", pruned);
    }
}
