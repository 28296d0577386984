using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>What Key Vault would hold, in an Azurite table, for local runs without a vault (Development only,
/// as for token hashes).</summary>
public sealed class DevelopmentWebhookSecretStore(EnsuredTable table) : IWebhookSecretStore
{
    private const string Partition = "webhookSecret";
    private const string ValueProperty = "Value";

    public async Task StoreAsync(string name, string secret, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity(Partition, name) { [ValueProperty] = secret }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<string?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var row = await client.GetEntityIfExistsAsync<TableEntity>(Partition, name, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString(ValueProperty) : null;
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        await client.DeleteEntityAsync(Partition, name, ETag.All, cancellationToken);
    }
}
