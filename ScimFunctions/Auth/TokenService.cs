using Microsoft.Extensions.Logging;

namespace ScimFunctions.Auth;

/// <summary>Mints, lists and revokes a directory's bearer tokens. Callers check that the directory exists.</summary>
public sealed class TokenService(
    ITokenHashStore hashes,
    TokenMetadataStore metadata,
    AuthCaches caches,
    TimeProvider time,
    ILogger<TokenService> logger)
{
    /// <exception cref="TokenLimitException"><see cref="TokenMetadata.MaxActive"/> tokens are active already; nothing was kept.</exception>
    /// <exception cref="TokenStoreUnavailableException">The hash could not be stored; nothing was kept.</exception>
    public async Task<MintedToken> MintAsync(string directoryId, string label, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var (tokenId, token) = ScimToken.Mint();
        var created = time.GetUtcNow();
        // The slot first: it is what makes the cap hold under concurrent mints.
        var slot = await metadata.ClaimSlotAsync(directoryId, tokenId, expiresAt, created, cancellationToken)
            ?? throw new TokenLimitException(TokenMetadata.MaxActive);
        var row = new TokenMetadata(directoryId, tokenId, label, created, expiresAt, RevokedAt: null) { Last4 = token[^4..], Slot = slot };

        // Metadata next: a token whose hash write fails is then still visible, and removed below, rather
        // than a working hash that no listing shows and no admin can revoke.
        try
        {
            await metadata.AddAsync(row, cancellationToken);
            await hashes.StoreAsync(new StoredTokenHash(directoryId, tokenId, ScimToken.Hash(token), true, expiresAt, label, created), cancellationToken);
        }
        catch
        {
            await metadata.DeleteAsync(directoryId, tokenId, CancellationToken.None);
            await metadata.ReleaseSlotAsync(directoryId, slot, tokenId, CancellationToken.None);
            throw;
        }
        logger.LogInformation("Minted token {TokenId} for directory {DirectoryId}.", tokenId, directoryId);
        return new MintedToken(row, token);
    }

    public Task<IReadOnlyList<TokenMetadata>> ListAsync(string directoryId, CancellationToken cancellationToken) =>
        metadata.ListAsync(directoryId, cancellationToken);

    /// <summary>Revokes one token; false when the directory has no such token.</summary>
    public async Task<bool> RevokeAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        var row = await metadata.GetAsync(directoryId, tokenId, cancellationToken);
        if (row is null) return false;
        await RevokeAsync(row, cancellationToken);
        return true;
    }

    /// <summary>Revokes every token of a directory that is not revoked yet; safe to run again after a failure.</summary>
    public async Task RevokeAllAsync(string directoryId, CancellationToken cancellationToken)
    {
        foreach (var row in await metadata.ListAsync(directoryId, cancellationToken))
        {
            if (row.RevokedAt is null) await RevokeAsync(row, cancellationToken);
        }
    }

    /// <summary>Revokes whatever is left, then removes the directory's token rows (the end of a delete).</summary>
    public async Task ForgetAllAsync(string directoryId, CancellationToken cancellationToken)
    {
        await RevokeAllAsync(directoryId, cancellationToken);
        foreach (var row in await metadata.ListAsync(directoryId, cancellationToken))
        {
            await metadata.DeleteAsync(directoryId, row.TokenId, cancellationToken);
        }
        await metadata.DeleteSlotsAsync(directoryId, cancellationToken);
    }

    /// <summary>The hash first (the token stops working at once), then its slot, then the mark: a row marked
    /// revoked is revoked completely, so an interrupted revoke is one whose row is not marked yet, and revoking
    /// again (or <see cref="RevokeAllAsync"/> in the purge) finishes it.</summary>
    private async Task RevokeAsync(TokenMetadata row, CancellationToken cancellationToken)
    {
        await hashes.DeleteAsync(row.DirectoryId, row.TokenId, cancellationToken);
        if (row.Slot is { } slot) await metadata.ReleaseSlotAsync(row.DirectoryId, slot, row.TokenId, cancellationToken);
        if (row.RevokedAt is null) await metadata.MarkRevokedAsync(row.DirectoryId, row.TokenId, time.GetUtcNow(), cancellationToken);
        caches.Tokens.Invalidate((row.DirectoryId, row.TokenId));
        logger.LogInformation("Revoked token {TokenId} of directory {DirectoryId}.", row.TokenId, row.DirectoryId);
    }
}
