using Microsoft.Extensions.Logging;
using ScimFunctions.Directories;

namespace ScimFunctions.Webhooks;

/// <summary>
/// Heals lost prompts and retry messages: for every enabled endpoint and directory it covers, queues a delivery
/// when settled changes follow the cursor and no run holds it, no retry is pending and it is not failing. Also
/// prunes the delivery log. Cost per endpoint: 1 read of its states, 1 read per directory with state.
/// </summary>
public sealed class WebhookSweeper(
    WebhookStore store,
    WebhookDeliverer deliverer,
    WebhookDeliveryLog log,
    DirectoryStore directories,
    WebhookQueue queue,
    WebhookOptions options,
    TimeProvider time,
    ILogger<WebhookSweeper> logger)
{
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        var directoryIds = (await directories.ListAsync(cancellationToken)).Where(d => d.State != DirectoryState.Deleting).Select(d => d.Id).ToList();
        foreach (var endpoint in await store.ListAsync(cancellationToken))
        {
            if (!endpoint.Enabled) continue;
            try
            {
                var states = (await store.StatesAsync(endpoint.Id, cancellationToken)).ToDictionary(s => s.DirectoryId, StringComparer.Ordinal);
                var now = time.GetUtcNow();
                foreach (var directoryId in directoryIds.Where(endpoint.Covers))
                {
                    var state = states.GetValueOrDefault(directoryId)
                        ?? WebhookDeliveryState.Initial(directoryId, Storage.PartitionLayout.ChangeFloor(endpoint.Created));
                    if (state.Failing || state.IsLeased(now) || state.IsWaitingToRetry(now)) continue;
                    if (!await deliverer.HasBacklogAsync(state, cancellationToken)) continue;
                    await queue.SendAsync(new WebhookMessage(directoryId, endpoint.Id), TimeSpan.Zero, cancellationToken);
                    sent++;
                }
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(failure, "Webhook sweep of endpoint {EndpointId} failed", endpoint.Id);
            }
        }
        return sent;
    }

    public async Task<int> PruneLogAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.LogRetentionDays);
        var pruned = 0;
        foreach (var endpoint in await store.ListAsync(cancellationToken)) pruned += await log.PruneAsync(endpoint.Id, cutoff, cancellationToken);
        return pruned;
    }
}
