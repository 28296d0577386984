using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>What the management API does with endpoints: create (the secret is returned once, here), change,
/// rotate the secret with an overlap, delete, resend and replay.</summary>
public sealed class WebhookService(
    WebhookStore store,
    IWebhookSecretStore secrets,
    WebhookTargetPolicy policy,
    WebhookQueue queue,
    WebhookOptions options,
    TimeProvider time)
{
    public WebhookStore Store => store;

    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(
        string url, IReadOnlyList<string>? events, IReadOnlyList<string>? directories, string? description, CancellationToken cancellationToken)
    {
        var checkedUrl = await policy.CheckUrlAsync(url, cancellationToken);
        var endpoint = new WebhookEndpoint(PartitionLayout.NewId(), checkedUrl.AbsoluteUri, events, directories, true, description, time.GetUtcNow(), 1, null, null);
        var secret = WebhookSecret.New();
        // The secret first: an endpoint row never exists without the secret that signs for it.
        await secrets.StoreAsync(PartitionLayout.WebhookSecretName(endpoint.Id, 1), secret, cancellationToken);
        await store.AddAsync(endpoint, cancellationToken);
        return (endpoint, secret);
    }

    public async Task<WebhookEndpoint?> UpdateAsync(string endpointId, string? url, IReadOnlyList<string>? events, bool clearEvents,
        IReadOnlyList<string>? directories, bool clearDirectories, bool? enabled, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetAsync(endpointId, cancellationToken);
        if (endpoint is null) return null;
        if (url is not null) endpoint = endpoint with { Url = (await policy.CheckUrlAsync(url, cancellationToken)).AbsoluteUri };
        if (events is not null || clearEvents) endpoint = endpoint with { Events = events };
        if (directories is not null || clearDirectories) endpoint = endpoint with { Directories = directories };
        if (enabled is { } on) endpoint = endpoint with { Enabled = on };
        await store.ReplaceAsync(endpoint, cancellationToken);
        return endpoint;
    }

    /// <summary>A new secret; the previous one keeps signing for <paramref name="overlap"/>.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)?> RotateAsync(string endpointId, TimeSpan? overlap, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetAsync(endpointId, cancellationToken);
        if (endpoint is null) return null;
        var secret = WebhookSecret.New();
        var version = endpoint.SecretVersion + 1;
        await secrets.StoreAsync(PartitionLayout.WebhookSecretName(endpoint.Id, version), secret, cancellationToken);
        var retired = endpoint.PreviousSecretVersion;
        endpoint = endpoint with
        {
            SecretVersion = version,
            PreviousSecretVersion = endpoint.SecretVersion,
            PreviousSecretExpiresAt = time.GetUtcNow() + (overlap ?? options.DefaultSecretOverlap),
        };
        await store.ReplaceAsync(endpoint, cancellationToken);
        if (retired is { } old) await secrets.DeleteAsync(PartitionLayout.WebhookSecretName(endpoint.Id, old), cancellationToken);
        return (endpoint, secret);
    }

    public async Task<bool> DeleteAsync(string endpointId, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetAsync(endpointId, cancellationToken);
        if (endpoint is null) return false;
        await store.DeleteAsync(endpointId, cancellationToken);
        foreach (var version in new[] { endpoint.SecretVersion, endpoint.PreviousSecretVersion ?? 0 }.Where(v => v > 0))
        {
            await secrets.DeleteAsync(PartitionLayout.WebhookSecretName(endpointId, version), cancellationToken);
        }
        return true;
    }

    /// <summary>Moves the directory's cursor back to <paramref name="since"/> and delivers from there (clearing a
    /// failing state): every event since then is sent again, with its original id.</summary>
    public async Task<bool> ReplayAsync(string endpointId, string directoryId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetAsync(endpointId, cancellationToken);
        if (endpoint is null) return false;
        var state = await store.GetStateAsync(endpointId, directoryId, cancellationToken) ?? WebhookDeliveryState.Initial(directoryId, PartitionLayout.ChangeFloor(since));
        var replayed = state with { Position = PartitionLayout.ChangeFloor(since), Failing = false, Attempts = 0, FirstFailureAt = null, NextAttemptAt = null, LeaseUntil = null };
        if (await store.TrySaveStateAsync(endpointId, replayed, cancellationToken) is null) throw new InvalidOperationException("The delivery state changed; try again.");
        await queue.SendAsync(new WebhookMessage(directoryId, endpointId), TimeSpan.Zero, cancellationToken);
        return true;
    }
}
