using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>
/// Delivers one endpoint's backlog of one directory, in change-log order. A run takes the directory's lease
/// (a conditional write of its state row, so two runs never deliver the same backlog at once), reads up to
/// <see cref="WebhookOptions.BatchSize"/> settled change rows after the cursor, posts their events one by one
/// and saves the cursor after the last fully delivered change. The first failed post ends the run: the state
/// records the failure and a retry message is queued with a backoff delay; after
/// <see cref="WebhookOptions.MaxRetryAge"/> of failures the directory is marked failing and no retry is queued.
/// A run killed mid-batch leaves the cursor where it was: its events are posted again, with the same ids.
/// </summary>
public sealed class WebhookDeliverer(
    WebhookStore store,
    WebhookDeliveryLog log,
    ChangeLogStore changes,
    WebhookEventBuilder events,
    WebhookSigningKeys keys,
    WebhookTransport transport,
    WebhookQueue queue,
    WebhookOptions options,
    TimeProvider time,
    ILogger<WebhookDeliverer> logger)
{
    /// <summary>Late rows delivered per run: far more than storage retries can leave behind in one run's interval.</summary>
    private const int MaxLateRows = 1000;

    public async Task DeliverAsync(string endpointId, string directoryId, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetAsync(endpointId, cancellationToken);
        if (endpoint is null || !endpoint.Enabled || !endpoint.Covers(directoryId)) return;
        var now = time.GetUtcNow();
        var state = await store.GetStateAsync(endpointId, directoryId, cancellationToken)
            ?? WebhookDeliveryState.Initial(directoryId, PartitionLayout.ChangeFloor(endpoint.Created));
        // Tolerance: the retry message may arrive a moment before the time it was queued for.
        if (state.Failing || state.IsLeased(now) || state.IsWaitingToRetry(now + TimeSpan.FromSeconds(1))) return;
        var leased = await store.TrySaveStateAsync(endpointId, state with { LeaseUntil = now + options.LeaseDuration }, cancellationToken);
        if (leased is null) return; // another run took it

        var attempts = new List<WebhookAttempt>();
        var (saved, more) = await RunAsync(endpoint, leased, attempts, cancellationToken);
        await log.AddAsync(endpointId, attempts, cancellationToken);
        var released = await store.TrySaveStateAsync(endpointId, saved with { LeaseUntil = null }, cancellationToken);
        if (released is null)
        {
            logger.LogWarning("Delivery state of endpoint {EndpointId} changed during a run; the next run redelivers", endpointId);
            return;
        }
        if (released.NextAttemptAt is { } next && !released.Failing)
        {
            await queue.SendAsync(new WebhookMessage(directoryId, endpointId), next - time.GetUtcNow(), cancellationToken);
        }
        else if (!released.Failing && (more || await HasBacklogAsync(released, cancellationToken)))
        {
            // More rows, or a prompt dropped while this run held the lease: go on.
            await queue.SendAsync(new WebhookMessage(directoryId, endpointId), TimeSpan.Zero, cancellationToken);
        }
        else if (!released.Failing && (await changes.ReadAsync(directoryId, released.Position, PartitionLayout.ChangeFloor(time.GetUtcNow().AddSeconds(1)), 1, cancellationToken)).Changes.Count > 0)
        {
            // Rows not settled yet (the prompt came early: queue delays are whole seconds): look again once they are.
            await queue.SendAsync(new WebhookMessage(directoryId, endpointId), options.SettleWindow + TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>Whether settled change rows follow the state's cursor (1 read of at most one row).</summary>
    public async Task<bool> HasBacklogAsync(WebhookDeliveryState state, CancellationToken cancellationToken)
    {
        var (rows, _) = await changes.ReadAsync(state.DirectoryId, state.Position, SettledUpper(), 1, cancellationToken);
        return rows.Count > 0;
    }

    private string SettledUpper() => PartitionLayout.ChangeFloor(time.GetUtcNow() - options.SettleWindow);

    private async Task<(WebhookDeliveryState State, bool More)> RunAsync(
        WebhookEndpoint endpoint, WebhookDeliveryState state, List<WebhookAttempt> attempts, CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var late = await LateRowsAsync(state, readAt, cancellationToken);
        var (rows, more) = await changes.ReadAsync(state.DirectoryId, state.Position, SettledUpper(), options.BatchSize, cancellationToken);
        if (rows.Count == 0 && late.Count == 0) return (state with { LastReadAt = readAt }, false);
        // Before any event is built: the batch's events, and other endpoints' runs over the same rows, share state reads.
        await events.ObserveAsync(state.DirectoryId, late.Select(r => r.Key).Concat(rows.Select(r => r.Key)), cancellationToken);
        var signing = await keys.ForAsync(endpoint, time.GetUtcNow(), cancellationToken);
        // Late rows (behind the cursor) first: nothing else moves until they are delivered.
        foreach (var (key, change) in late)
        {
            logger.LogWarning("Change {ChangeKey} committed after the delivery cursor passed it; delivering it now", key);
            foreach (var item in events.Expand(change))
            {
                if (!endpoint.Subscribes(item.Type)) continue;
                var built = await events.BuildAsync(state.DirectoryId, key, change, item, cancellationToken);
                var attempt = await PostAsync(endpoint, built, signing, cancellationToken);
                attempts.Add(attempt);
                if (!attempt.Succeeded) return (Failed(state, attempt), false);
            }
        }
        var position = state.Position;
        foreach (var (key, change) in rows)
        {
            foreach (var item in events.Expand(change))
            {
                if (!endpoint.Subscribes(item.Type)) continue;
                var built = await events.BuildAsync(state.DirectoryId, key, change, item, cancellationToken);
                var attempt = await PostAsync(endpoint, built, signing, cancellationToken);
                attempts.Add(attempt);
                // The late rows are delivered: the next run need not look for them again.
                if (!attempt.Succeeded) return (Failed(state with { Position = position, LastReadAt = late.Count > 0 ? readAt : state.LastReadAt }, attempt), false);
            }
            position = key;
        }
        return (state with
        {
            Position = position, Attempts = 0, FirstFailureAt = null, NextAttemptAt = null, LastError = null, LastSuccessAt = time.GetUtcNow(), LastReadAt = readAt,
        }, more);
    }

    /// <summary>Rows at or behind the cursor (within <see cref="WebhookOptions.LateCommitWindow"/>) that storage
    /// committed after the previous run read: none on the first run, and none at all unless a write was slow.</summary>
    private async Task<List<(string Key, ChangeEntry Entry)>> LateRowsAsync(WebhookDeliveryState state, DateTimeOffset readAt, CancellationToken cancellationToken)
    {
        if (state.LastReadAt is not { } previous) return [];
        var from = PartitionLayout.ChangeFloor(readAt - options.LateCommitWindow);
        // Late: committed after the previous read, and longer after its stamp than the settle window (less the
        // margin for clock skew); a row committed in time was delivered in order and is not sent again.
        return await changes.ReadCommittedSinceAsync(state.DirectoryId, from, state.Position,
            previous - options.LateCommitMargin, options.SettleWindow - options.LateCommitMargin, MaxLateRows, cancellationToken);
    }

    private WebhookDeliveryState Failed(WebhookDeliveryState state, WebhookAttempt attempt)
    {
        var now = time.GetUtcNow();
        var firstFailure = state.FirstFailureAt ?? now;
        var error = attempt.Error ?? $"HTTP {attempt.StatusCode}";
        if (now - firstFailure >= options.MaxRetryAge)
        {
            logger.LogWarning("Webhook endpoint failed for {Age}; retries stop until a replay", now - firstFailure);
            return state with { Attempts = state.Attempts + 1, FirstFailureAt = firstFailure, NextAttemptAt = null, Failing = true, LastError = error };
        }
        var delay = WebhookBackoff.Delay(state.Attempts + 1, options, Random.Shared);
        return state with { Attempts = state.Attempts + 1, FirstFailureAt = firstFailure, NextAttemptAt = now + delay, LastError = error };
    }

    /// <summary>One signed POST: the receiver's status, or the error (timeout, refused target, connection).</summary>
    public async Task<WebhookAttempt> PostAsync(WebhookEndpoint endpoint, WebhookEvent item, IReadOnlyList<byte[]> signing, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var timestamp = WebhookSigner.Timestamp(at);
        var body = item.Body(at);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSigner.IdHeader, item.Id);
        request.Headers.Add(WebhookSigner.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(item.Id, timestamp, body, signing));
        request.Headers.UserAgent.ParseAdd("ScimFunctions-Webhooks/1.0");
        var clock = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            using var response = await transport.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException failure)
        {
            error = failure.InnerException is WebhookTargetRefusedException refused ? refused.Message : $"connection failed ({failure.HttpRequestError})";
        }
        catch (WebhookTargetRefusedException refused)
        {
            error = refused.Message;
        }
        return new WebhookAttempt(PartitionLayout.NewId(), at, item.DirectoryId, item.Id, item.Type, item.ChangeKey, status, clock.Elapsed, error);
    }
}
