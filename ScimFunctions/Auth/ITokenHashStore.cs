namespace ScimFunctions.Auth;

/// <summary>
/// Keeps token hashes: Key Vault in Azure, an Azurite table in Development. Entries are named from the
/// directory and the token id, so a token presented on another directory's URL finds nothing.
/// </summary>
public interface ITokenHashStore
{
    Task StoreAsync(StoredTokenHash hash, CancellationToken cancellationToken);

    /// <summary>The stored entry, or null when there is none (never created, or revoked).</summary>
    /// <exception cref="TokenStoreUnavailableException">The store could not be reached or did not answer.</exception>
    Task<StoredTokenHash?> FindAsync(string directoryId, string tokenId, CancellationToken cancellationToken);

    /// <summary>Removes the entry; succeeds when it is already gone.</summary>
    Task DeleteAsync(string directoryId, string tokenId, CancellationToken cancellationToken);
}
