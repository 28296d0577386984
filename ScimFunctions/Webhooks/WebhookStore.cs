using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>Endpoints (one partition, so listing them is 1 read) and each endpoint's delivery state (one
/// partition per endpoint, one row per directory), with ETags so two runs never both advance a cursor.</summary>
public sealed class WebhookStore(WebhookTable table)
{
    public async Task AddAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        await client.AddEntityAsync(ToEntity(endpoint), cancellationToken);
    }

    public async Task<WebhookEndpoint?> GetAsync(string endpointId, CancellationToken cancellationToken)
    {
        if (!PartitionLayout.IsServerId(endpointId)) return null;
        var client = await table.GetAsync(cancellationToken);
        var row = await client.GetEntityIfExistsAsync<TableEntity>(PartitionLayout.WebhookEndpointsPartition, endpointId, cancellationToken: cancellationToken);
        return row.HasValue ? ToEndpoint(row.Value!) : null;
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var endpoints = new List<WebhookEndpoint>();
        await foreach (var row in client.QueryAsync<TableEntity>(e => e.PartitionKey == PartitionLayout.WebhookEndpointsPartition, cancellationToken: cancellationToken))
        {
            endpoints.Add(ToEndpoint(row));
        }
        return endpoints;
    }

    /// <summary>Replaces the endpoint if it is still the version read.</summary>
    /// <exception cref="RequestFailedException">412 when another writer changed it</exception>
    public async Task ReplaceAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        await client.UpdateEntityAsync(ToEntity(endpoint), new ETag(endpoint.ETag), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Removes the endpoint and its delivery state (the log ages out).</summary>
    public async Task DeleteAsync(string endpointId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        foreach (var state in await StatesAsync(endpointId, cancellationToken))
        {
            await client.DeleteEntityAsync(PartitionLayout.WebhookStatePartition(endpointId), PartitionLayout.WebhookState(state.DirectoryId), ETag.All, cancellationToken);
        }
        await client.DeleteEntityAsync(PartitionLayout.WebhookEndpointsPartition, endpointId, ETag.All, cancellationToken);
    }

    public async Task<WebhookDeliveryState?> GetStateAsync(string endpointId, string directoryId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var row = await client.GetEntityIfExistsAsync<TableEntity>(
            PartitionLayout.WebhookStatePartition(endpointId), PartitionLayout.WebhookState(directoryId), cancellationToken: cancellationToken);
        return row.HasValue ? ToState(row.Value!) : null;
    }

    /// <summary>Every directory's delivery state of an endpoint: 1 range read.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryState>> StatesAsync(string endpointId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var states = new List<WebhookDeliveryState>();
        await foreach (var row in client.QueryAsync<TableEntity>(
            KeyRange.Under(PartitionLayout.WebhookStatePartition(endpointId), PartitionLayout.WebhookStatePrefix), cancellationToken: cancellationToken))
        {
            states.Add(ToState(row));
        }
        return states;
    }

    /// <summary>Writes the state if it is still the version read (added when it had none). Returns the written
    /// state with its new ETag, or null when another run changed it first.</summary>
    public async Task<WebhookDeliveryState?> TrySaveStateAsync(string endpointId, WebhookDeliveryState state, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var entity = ToEntity(endpointId, state);
        var response = await ConditionalTableWrite.TryAddOrReplaceAsync(client, entity, state.ETag, cancellationToken);
        return response is null ? null : state with { ETag = response.Headers.ETag?.ToString() };
    }

    private static TableEntity ToEntity(WebhookEndpoint endpoint) => new(PartitionLayout.WebhookEndpointsPartition, endpoint.Id)
    {
        ["Url"] = endpoint.Url,
        ["Events"] = endpoint.Events is null ? null : JsonSerializer.Serialize(endpoint.Events),
        ["Directories"] = endpoint.Directories is null ? null : JsonSerializer.Serialize(endpoint.Directories),
        ["Enabled"] = endpoint.Enabled,
        ["Description"] = endpoint.Description,
        ["Created"] = endpoint.Created,
        ["SecretVersion"] = endpoint.SecretVersion,
        ["PreviousSecretVersion"] = endpoint.PreviousSecretVersion,
        ["PreviousSecretExpiresAt"] = endpoint.PreviousSecretExpiresAt,
    };

    private static WebhookEndpoint ToEndpoint(TableEntity row) => new(
        row.RowKey,
        row.GetString("Url") ?? "",
        List(row.GetString("Events")),
        List(row.GetString("Directories")),
        row.GetBoolean("Enabled") == true,
        row.GetString("Description"),
        row.GetDateTimeOffset("Created") ?? DateTimeOffset.MinValue,
        row.GetInt32("SecretVersion") ?? 1,
        row.GetInt32("PreviousSecretVersion"),
        row.GetDateTimeOffset("PreviousSecretExpiresAt"),
        row.ETag.ToString());

    private static TableEntity ToEntity(string endpointId, WebhookDeliveryState state) =>
        new(PartitionLayout.WebhookStatePartition(endpointId), PartitionLayout.WebhookState(state.DirectoryId))
        {
            ["DirectoryId"] = state.DirectoryId,
            ["Position"] = state.Position,
            ["Attempts"] = state.Attempts,
            ["FirstFailureAt"] = state.FirstFailureAt,
            ["NextAttemptAt"] = state.NextAttemptAt,
            ["Failing"] = state.Failing,
            ["LeaseUntil"] = state.LeaseUntil,
            ["LastError"] = state.LastError,
            ["LastSuccessAt"] = state.LastSuccessAt,
            ["LastReadAt"] = state.LastReadAt,
        };

    private static WebhookDeliveryState ToState(TableEntity row) => new(
        row.GetString("DirectoryId") ?? "",
        row.GetString("Position") ?? PartitionLayout.ChangePrefix,
        row.GetInt32("Attempts") ?? 0,
        row.GetDateTimeOffset("FirstFailureAt"),
        row.GetDateTimeOffset("NextAttemptAt"),
        row.GetBoolean("Failing") == true,
        row.GetDateTimeOffset("LeaseUntil"),
        row.GetString("LastError"),
        row.GetDateTimeOffset("LastSuccessAt"),
        row.ETag.ToString(),
        row.GetDateTimeOffset("LastReadAt"));

    private static IReadOnlyList<string>? List(string? json) => json is null ? null : JsonSerializer.Deserialize<string[]>(json);
}
