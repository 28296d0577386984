using ScimFunctions.Auth;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>Counts lookups reaching the token-hash store (Key Vault in Azure) behind the app's auth cache.</summary>
public sealed class CountingTokenHashStore(ITokenHashStore inner) : ITokenHashStore
{
    private long _finds;

    public long Finds => Interlocked.Read(ref _finds);

    public Task StoreAsync(StoredTokenHash hash, CancellationToken cancellationToken) => inner.StoreAsync(hash, cancellationToken);

    public Task<StoredTokenHash?> FindAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _finds);
        return inner.FindAsync(directoryId, tokenId, cancellationToken);
    }

    public Task DeleteAsync(string directoryId, string tokenId, CancellationToken cancellationToken) => inner.DeleteAsync(directoryId, tokenId, cancellationToken);
}
