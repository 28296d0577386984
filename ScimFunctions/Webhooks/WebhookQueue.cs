using Azure.Storage.Queues;

namespace ScimFunctions.Webhooks;

/// <summary>The delivery queue. Delays are the queue's visibility timeout: a retry waits in the queue, never in a sleeping function.</summary>
public sealed class WebhookQueue(QueueServiceClient queues)
{
    public const string Name = "webhook-delivery";

    private readonly QueueClient queue = queues.GetQueueClient(Name);
    private Task? created;

    public async Task SendAsync(WebhookMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var task = created ??= queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        try
        {
            await task.WaitAsync(cancellationToken);
        }
        catch when (task.IsFaulted || task.IsCanceled)
        {
            _ = Interlocked.CompareExchange(ref created, null, task);
            throw;
        }
        var visibility = delay <= TimeSpan.Zero ? (TimeSpan?)null : delay < WebhookOptions.MaxQueueDelay ? delay : WebhookOptions.MaxQueueDelay - TimeSpan.FromMinutes(1);
        await queue.SendMessageAsync(message.Serialize(), visibility, cancellationToken: cancellationToken);
    }
}
