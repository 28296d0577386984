namespace ScimFunctions.Webhooks;

/// <summary>Handles a delivery-queue message: a directory prompt becomes one message per endpoint that covers
/// the directory (so a slow endpoint never holds up another), an endpoint message runs a delivery.</summary>
public sealed class WebhookDispatcher(WebhookStore store, WebhookDeliverer deliverer, WebhookQueue queue)
{
    public async Task HandleAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        if (message.EndpointId is { } endpointId)
        {
            await deliverer.DeliverAsync(endpointId, message.DirectoryId, cancellationToken);
            return;
        }
        foreach (var endpoint in await store.ListAsync(cancellationToken))
        {
            if (endpoint.Enabled && endpoint.Covers(message.DirectoryId))
            {
                await queue.SendAsync(message with { EndpointId = endpoint.Id }, TimeSpan.Zero, cancellationToken);
            }
        }
    }
}
