using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Activity;

namespace ScimFunctions.Functions.Activity;

/// <summary>Daily: removes logged requests older than the retention, whole days at a time.</summary>
public sealed class ActivityRetentionFunction(ActivityRetention retention)
{
    [Function("PruneActivityLog")]
    public Task Run([TimerTrigger("0 15 3 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        retention.RunAsync(cancellationToken);
}
