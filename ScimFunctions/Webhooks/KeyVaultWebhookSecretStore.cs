using Azure;
using Azure.Security.KeyVault.Secrets;
using ScimFunctions.Auth;

namespace ScimFunctions.Webhooks;

/// <summary>Signing secrets as Key Vault secrets; a vault that does not answer is a <see cref="TokenStoreUnavailableException"/> (503).</summary>
public sealed class KeyVaultWebhookSecretStore(SecretClient secrets) : IWebhookSecretStore
{
    public const string ContentType = "application/vnd.scimfunctions.webhook-secret";

    public Task StoreAsync(string name, string secret, CancellationToken cancellationToken) =>
        CallAsync(() => secrets.SetSecretAsync(new KeyVaultSecret(name, secret) { Properties = { ContentType = ContentType } }, cancellationToken));

    public async Task<string?> FindAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await CallAsync(() => secrets.GetSecretAsync(name, version: null, cancellationToken))).Value.Value;
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => secrets.StartDeleteSecretAsync(name, cancellationToken));
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            // Already gone.
        }
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException failure) when (failure.Status != 404)
        {
            throw new TokenStoreUnavailableException($"Key Vault answered {failure.Status}.", failure);
        }
        catch (Exception failure) when (failure is Azure.Identity.AuthenticationFailedException or HttpRequestException or TimeoutException)
        {
            throw new TokenStoreUnavailableException("Key Vault could not be reached.", failure);
        }
    }
}
