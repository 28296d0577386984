using ScimFunctions.Storage;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Directories;

namespace ScimFunctions.Auth;

/// <summary>
/// The same hashes Key Vault would hold, in an Azurite table, for local runs without a vault. Registered
/// only in Development; anywhere else a missing vault stops start-up.
/// </summary>
public sealed class DevelopmentTokenHashStore(EnsuredTable table) : ITokenHashStore
{
    public async Task StoreAsync(StoredTokenHash hash, CancellationToken cancellationToken)
    {
        var client = await Table(cancellationToken);
        var entity = new TableEntity(hash.DirectoryId, hash.TokenId)
        {
            ["Hash"] = Convert.ToHexStringLower(hash.Hash),
            ["Enabled"] = hash.Enabled,
            ["Label"] = hash.Label,
            ["Created"] = hash.CreatedOn,
        };
        if (hash.ExpiresOn is { } expires) entity["ExpiresOn"] = expires;
        await Call(() => client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    public async Task<StoredTokenHash?> FindAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        var client = await Table(cancellationToken);
        var response = await Call(() => client.GetEntityIfExistsAsync<TableEntity>(directoryId, tokenId, cancellationToken: cancellationToken), cancellationToken);
        if (!response.HasValue) return null;
        var entity = response.Value!;
        return new StoredTokenHash(
            entity.PartitionKey,
            entity.RowKey,
            Convert.FromHexString(entity.GetString("Hash") ?? ""),
            entity.GetBoolean("Enabled") == true,
            entity.GetDateTimeOffset("ExpiresOn"),
            entity.GetString("Label") ?? "",
            entity.GetDateTimeOffset("Created") ?? DateTimeOffset.MinValue);
    }

    public async Task DeleteAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        var client = await Table(cancellationToken);
        await Call(() => client.DeleteEntityAsync(directoryId, tokenId, ETag.All, cancellationToken), cancellationToken);
    }

    private async Task<TableClient> Table(CancellationToken cancellationToken)
    {
        try
        {
            return await table.GetAsync(cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            throw new TokenStoreUnavailableException("Development token store unavailable.", ex);
        }
    }

    private static async Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException ex) when (ex.Status is 0 or 429 or >= 500)
        {
            throw new TokenStoreUnavailableException("Development token store unavailable.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TokenStoreUnavailableException("Development token store timed out.", ex);
        }
    }
}
