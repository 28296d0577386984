using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>
/// Sends one event of an endpoint's delivery log again, now, with its original <c>webhook-id</c>: the log's
/// attempt names the change row, the change row makes the event again (with the resource's current state).
/// The delivery cursor and retry state are not touched, so a resend never reorders or skips the stream; it is
/// one extra, deduplicable delivery. Cost: 1 filtered read of the log partition, 1 point read of the change row,
/// the event's reads, the POST and 1 log write.
/// </summary>
public sealed class WebhookResender(
    WebhookStore store,
    WebhookDeliveryLog log,
    ChangeLogStore changes,
    WebhookEventBuilder events,
    WebhookSigningKeys keys,
    WebhookDeliverer deliverer,
    TimeProvider time)
{
    public async Task<(WebhookResendOutcome Outcome, WebhookAttempt? Attempt)> ResendAsync(string endpointId, string eventId, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetAsync(endpointId, cancellationToken);
        if (endpoint is null) return (WebhookResendOutcome.NoSuchEndpoint, null);
        if (!endpoint.Enabled) return (WebhookResendOutcome.EndpointDisabled, null);
        var (logged, _) = await log.ReadAsync(endpointId, null, 1, eventId, cancellationToken);
        if (logged.Count == 0) return (WebhookResendOutcome.NoSuchEvent, null);
        var original = logged[0];
        var change = await changes.GetAsync(original.DirectoryId, original.ChangeKey, cancellationToken);
        if (change is null) return (WebhookResendOutcome.EventExpired, null);
        foreach (var item in events.Expand(change))
        {
            if (PartitionLayout.WebhookEventId(original.DirectoryId, original.ChangeKey, item.Index) != eventId) continue;
            var built = await events.BuildAsync(original.DirectoryId, original.ChangeKey, change, item, cancellationToken);
            var signing = await keys.ForAsync(endpoint, time.GetUtcNow(), cancellationToken);
            var attempt = await deliverer.PostAsync(endpoint, built, signing, cancellationToken);
            await log.AddAsync(endpointId, [attempt], cancellationToken);
            return (WebhookResendOutcome.Sent, attempt);
        }
        return (WebhookResendOutcome.EventExpired, null);
    }
}
