namespace ScimFunctions.Webhooks;

/// <summary>
/// Keeps webhook signing secrets where the token hashes are kept: Key Vault in Azure, an Azurite table in
/// Development. A signing secret must be usable for HMAC, so unlike a token it cannot be kept as a hash; the
/// vault is the app's one place for secret values (access by the app's identity, audited, soft-deleted), so the
/// data table never holds one. Entries are named by <see cref="Storage.PartitionLayout.WebhookSecretName"/>.
/// </summary>
public interface IWebhookSecretStore
{
    Task StoreAsync(string name, string secret, CancellationToken cancellationToken);

    /// <summary>The secret, or null when there is none.</summary>
    /// <exception cref="Auth.TokenStoreUnavailableException">the store did not answer</exception>
    Task<string?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Removes the entry; succeeds when it is already gone.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}
