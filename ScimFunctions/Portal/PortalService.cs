using Microsoft.Extensions.Logging;

namespace ScimFunctions.Portal;

/// <summary>
/// Portal links and sessions. A link is minted for a directory (or the operator) with scopes and a lifetime;
/// redeeming it starts a session bound to the same directory and scopes. A session slides
/// (<see cref="PortalOptions.SessionLifetime"/> after the last request, written at most once per
/// <see cref="PortalOptions.SessionRefreshInterval"/>) and ends with its link: validation reads the link's row
/// with the session's, so an expired or revoked link closes every session at once.
/// </summary>
public sealed class PortalService(PortalStore store, PortalOptions options, TimeProvider time, ILogger<PortalService> logger)
{
    private const int MaxRedeemAttempts = 3;

    public async Task<MintedPortalLink> MintAsync(string? directoryId, IReadOnlyList<string> scopes, int lifetimeHours, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var link = new PortalLink(directoryId, PortalCredential.NewLinkId(), scopes, now, now.AddHours(lifetimeHours), RevokedAt: null, LastRedeemedAt: null);
        var credential = PortalCredential.Mint(directoryId, link.Id);
        await store.AddLinkAsync(link, credential.Hash, cancellationToken);
        logger.LogInformation("Minted portal link {LinkId} for {Owner}.", link.Id, directoryId ?? "the operator");
        return new MintedPortalLink(link, credential.Text);
    }

    public async Task<IReadOnlyList<PortalLink>> ListAsync(string directoryId, CancellationToken cancellationToken) =>
        (await store.ListLinksAsync(directoryId, cancellationToken)).OrderBy(link => link.CreatedAt).ThenBy(link => link.Id, StringComparer.Ordinal).ToList();

    /// <summary>Revokes a link and deletes its sessions; false when the directory has no such link.</summary>
    public async Task<bool> RevokeAsync(string directoryId, string linkId, CancellationToken cancellationToken)
    {
        if (!Storage.PartitionLayout.IsServerId(linkId)) return false;
        if (!await store.MarkRevokedAsync(directoryId, linkId, time.GetUtcNow(), cancellationToken)) return false;
        // The sessions already fail validation (their link is revoked); deleting them keeps the table clean.
        await store.DeleteSessionsOfLinkAsync(directoryId, linkId, cancellationToken);
        logger.LogInformation("Revoked portal link {LinkId} of directory {DirectoryId}.", linkId, directoryId);
        return true;
    }

    /// <summary>A new session from a link's secret; null when the link is unknown, expired or revoked.</summary>
    public async Task<StartedPortalSession?> RedeemAsync(string? secret, CancellationToken cancellationToken)
    {
        if (!PortalCredential.TryParse(secret, out var credential)) return null;
        for (var attempt = 1; attempt <= MaxRedeemAttempts; attempt++)
        {
            var found = await store.GetLinkAsync(credential.DirectoryId, credential.LinkId, cancellationToken);
            var now = time.GetUtcNow();
            if (found is not { } row || !credential.Matches(row.Hash) || !row.Link.IsUsableAt(now)) return null;

            var sessionCredential = PortalCredential.Mint(credential.DirectoryId, credential.LinkId);
            var session = new PortalSession(credential.DirectoryId, credential.LinkId, sessionCredential.Hash, row.Link.Scopes, ExpiryFrom(now, row.Link));
            // A failed guard is a revoke or another redeem in between: read the link again and judge afresh.
            if (await store.AddSessionAsync(row.ETag, session, now, cancellationToken)) return new StartedPortalSession(session, sessionCredential.Text);
        }
        return null;
    }

    /// <summary>The session a cookie opens, its expiry pushed forward when due; null when there is none (any more).</summary>
    public async Task<PortalSession?> AuthenticateAsync(string? cookie, CancellationToken cancellationToken)
    {
        if (!PortalCredential.TryParse(cookie, out var credential)) return null;
        var (link, session) = await store.ReadSessionAsync(credential.DirectoryId, credential.LinkId, credential.Hash, cancellationToken);
        var now = time.GetUtcNow();
        if (link is null || session is null || !link.IsUsableAt(now) || session.ExpiresAt <= now) return null;

        var extended = ExpiryFrom(now, link);
        if (extended - session.ExpiresAt < options.SessionRefreshInterval) return session;
        return await store.ExtendSessionAsync(session, extended, cancellationToken) ? session with { ExpiresAt = extended } : null;
    }

    /// <summary>Ends the session a cookie opens, if any.</summary>
    public async Task EndAsync(string? cookie, CancellationToken cancellationToken)
    {
        if (!PortalCredential.TryParse(cookie, out var credential)) return;
        await store.DeleteSessionAsync(credential.DirectoryId, credential.LinkId, credential.Hash, cancellationToken);
    }

    private DateTimeOffset ExpiryFrom(DateTimeOffset now, PortalLink link)
    {
        var sliding = now + options.SessionLifetime;
        return sliding < link.ExpiresAt ? sliding : link.ExpiresAt;
    }
}
