using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimFunctions.Roles;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Functions.Roles;

/// <summary>The queue-triggered recompute and the timer that heals lost signals.</summary>
public sealed class RoleRecomputeFunctions(RecomputeDispatcher dispatcher, OutboxSweeper sweeper, RoleHealth health, RoleOptions options, WebhookPrompter webhooks, ILogger<RoleRecomputeFunctions> logger)
{
    /// <summary>
    /// Handles one message (see <see cref="RecomputeDispatcher"/>). A failure is thrown back to the host, which
    /// retries; on the try that reaches maxDequeueCount the failure is first recorded in the directory's health,
    /// because the host then moves the message to the shared <c>role-recompute-poison</c> queue.
    /// </summary>
    [Function("RecomputeRoles")]
    public async Task Recompute(
        [QueueTrigger(RoleQueues.Recompute, Connection = "AzureWebJobsStorage")] string message,
        string dequeueCount,
        CancellationToken cancellationToken)
    {
        var parsed = RoleRecomputeMessage.Parse(message);
        try
        {
            await dispatcher.HandleAsync(parsed, cancellationToken);
            webhooks.Changed(parsed.DirectoryId); // role rows may have changed: user.roles_changed
        }
        catch (Exception failure) when ((failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && IsLastTry(dequeueCount))
        {
            logger.LogError(failure, "Role recompute for directory {DirectoryId} failed its last try; the message goes to {Queue}", parsed.DirectoryId, RoleQueues.RecomputePoison);
            await health.RecordPoisonedAsync(parsed.DirectoryId, failure, cancellationToken);
            throw;
        }
    }

    [Function("SweepRoleOutbox")]
    public async Task Sweep([TimerTrigger("0 */2 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var sent = await sweeper.SweepAllAsync(cancellationToken);
        if (sent > 0) logger.LogInformation("Outbox sweep sent {Messages} recompute messages", sent);
    }

    private bool IsLastTry(string? dequeueCount) =>
        long.TryParse(dequeueCount, NumberStyles.Integer, CultureInfo.InvariantCulture, out var tries) && tries >= options.MaxDequeueCount;
}
