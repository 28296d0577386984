using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Functions.Webhooks;

/// <summary>The queue-triggered delivery, the sweep that heals lost messages, and the delivery-log retention.</summary>
public sealed class WebhookDeliveryFunctions(WebhookDispatcher dispatcher, WebhookSweeper sweeper, ILogger<WebhookDeliveryFunctions> logger)
{
    [Function("DeliverWebhooks")]
    public Task Deliver(
        [QueueTrigger(WebhookQueue.Name, Connection = "AzureWebJobsStorage")] string message,
        CancellationToken cancellationToken) =>
        dispatcher.HandleAsync(WebhookMessage.Parse(message), cancellationToken);

    [Function("SweepWebhooks")]
    public async Task Sweep([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var sent = await sweeper.SweepAsync(cancellationToken);
        if (sent > 0) logger.LogInformation("Webhook sweep queued {Deliveries} deliveries", sent);
    }

    [Function("PruneWebhookLog")]
    public async Task Prune([TimerTrigger("0 30 3 * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var pruned = await sweeper.PruneLogAsync(cancellationToken);
        if (pruned > 0) logger.LogInformation("Pruned {Rows} webhook delivery-log rows", pruned);
    }
}
