using System.Globalization;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using ScimFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace ScimFunctions.Auth;

/// <summary>
/// Token hashes as Key Vault secrets named <c>scimtoken-{directoryId}-{tokenId}</c>. One GetSecret answers
/// everything validation needs: the hash (value), enabled, expiry and the owning directory (tag).
/// Revocation deletes the secret, so a revoked token reads as 404, the same as one never minted.
/// </summary>
public sealed class KeyVaultTokenHashStore(SecretClient secrets, ILogger<KeyVaultTokenHashStore> logger) : ITokenHashStore
{
    public const string ContentType = "application/vnd.scimfunctions.token-sha256";
    public const string DirectoryTag = "directory";
    public const string TokenIdTag = "tokenId";
    public const string LabelTag = "label";
    public const string CreatedTag = "created";
    public const string ExpiresTag = "expires";
    private const int MaxTagValueLength = 256;

    public static string SecretName(string directoryId, string tokenId) => PartitionLayout.TokenSecretName(directoryId, tokenId);

    public async Task StoreAsync(StoredTokenHash hash, CancellationToken cancellationToken)
    {
        var secret = new KeyVaultSecret(SecretName(hash.DirectoryId, hash.TokenId), Convert.ToHexStringLower(hash.Hash));
        secret.Properties.ContentType = ContentType;
        secret.Properties.Enabled = hash.Enabled;
        secret.Properties.ExpiresOn = hash.ExpiresOn;
        secret.Properties.Tags[DirectoryTag] = hash.DirectoryId;
        secret.Properties.Tags[TokenIdTag] = hash.TokenId;
        secret.Properties.Tags[LabelTag] = hash.Label.Length <= MaxTagValueLength ? hash.Label : hash.Label[..MaxTagValueLength];
        secret.Properties.Tags[CreatedTag] = hash.CreatedOn.ToString("O", CultureInfo.InvariantCulture);
        if (hash.ExpiresOn is { } expires) secret.Properties.Tags[ExpiresTag] = expires.ToString("O", CultureInfo.InvariantCulture);
        await CallAsync(() => secrets.SetSecretAsync(secret, cancellationToken), "store", cancellationToken);
    }

    public async Task<StoredTokenHash?> FindAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        var name = SecretName(directoryId, tokenId);
        Response<KeyVaultSecret>? response;
        try
        {
            response = await CallAsync(() => secrets.GetSecretAsync(name, version: null, cancellationToken), "read", cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        var secret = response?.Value;
        if (secret?.Value is null) return null;

        byte[] stored;
        try
        {
            stored = Convert.FromHexString(secret.Value);
        }
        catch (FormatException)
        {
            // Never echo the value; a malformed secret simply matches no token.
            logger.LogWarning("Token hash secret for token {TokenId} is not a hex SHA-256 hash.", tokenId);
            return null;
        }
        var properties = secret.Properties;
        properties.Tags.TryGetValue(DirectoryTag, out var owner);
        properties.Tags.TryGetValue(LabelTag, out var label);
        return new StoredTokenHash(
            DirectoryId: owner ?? "",
            TokenId: tokenId,
            Hash: stored,
            Enabled: properties.Enabled == true,
            ExpiresOn: properties.ExpiresOn,
            Label: label ?? "",
            CreatedOn: properties.CreatedOn ?? DateTimeOffset.MinValue);
    }

    public async Task DeleteAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => secrets.StartDeleteSecretAsync(SecretName(directoryId, tokenId), cancellationToken), "delete", cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: revocation is idempotent.
        }
    }

    /// <summary>
    /// Turns every way Key Vault can fail to answer (5xx, throttling, auth/RBAC trouble, network, timeouts)
    /// into <see cref="TokenStoreUnavailableException"/>; 404 is passed through for the caller to decide.
    /// </summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw;
        }
        catch (RequestFailedException ex)
        {
            logger.LogWarning("Key Vault {Operation} failed with status {Status} ({ErrorCode}).", operation, ex.Status, ex.ErrorCode);
            throw new TokenStoreUnavailableException($"Key Vault {operation} failed with status {ex.Status}.", ex);
        }
        catch (AuthenticationFailedException ex)
        {
            logger.LogWarning("Key Vault {Operation} failed: no credential ({Message}).", operation, ex.Message);
            throw new TokenStoreUnavailableException($"Key Vault {operation} failed: no credential.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Key Vault {Operation} timed out.", operation);
            throw new TokenStoreUnavailableException($"Key Vault {operation} timed out.", ex);
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException or IOException)
        {
            logger.LogWarning("Key Vault {Operation} failed: {ExceptionType}.", operation, ex.GetType().Name);
            throw new TokenStoreUnavailableException($"Key Vault {operation} failed.", ex);
        }
    }
}
