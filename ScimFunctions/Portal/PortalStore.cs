using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Portal;

/// <summary>
/// The portal table (keys in <see cref="PartitionLayout"/>): a directory's links and the sessions redeemed from
/// them share the directory's portal partition, so validating a session reads its row and its link's row in one
/// request, and redeeming writes the session with a guarded merge on the link in one transaction. Rows hold
/// SHA-256 hashes of the secrets, never the secrets.
/// </summary>
public sealed class PortalStore(EnsuredTable table)
{
    private const string ScopesProperty = "Scopes";
    private const string HashProperty = "SecretHash";
    private const string CreatedProperty = "Created";
    private const string ExpiresProperty = "ExpiresAt";
    private const string RevokedProperty = "RevokedAt";
    private const string RedeemedProperty = "LastRedeemedAt";

    public async Task AddLinkAsync(PortalLink link, string secretHash, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var entity = new TableEntity(PartitionLayout.PortalPartition(link.DirectoryId), PartitionLayout.PortalLink(link.Id))
        {
            [ScopesProperty] = string.Join(',', link.Scopes),
            [HashProperty] = secretHash,
            [CreatedProperty] = link.CreatedAt,
            [ExpiresProperty] = link.ExpiresAt,
        };
        await client.AddEntityAsync(entity, cancellationToken);
    }

    /// <summary>The link, its stored hash and ETag (to guard a redeem), or null: 1 point read.</summary>
    public async Task<(PortalLink Link, string? Hash, ETag ETag)?> GetLinkAsync(string? directoryId, string linkId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(
            PartitionLayout.PortalPartition(directoryId), PartitionLayout.PortalLink(linkId), cancellationToken: cancellationToken);
        if (!response.HasValue) return null;
        var entity = response.Value!;
        return (ToLink(directoryId, entity), entity.GetString(HashProperty), entity.ETag);
    }

    /// <summary>A directory's links (never the operator's): 1 range read.</summary>
    public async Task<IReadOnlyList<PortalLink>> ListLinksAsync(string directoryId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var result = new List<PortalLink>();
        await foreach (var entity in client.QueryAsync<TableEntity>(
            KeyRange.Under(PartitionLayout.PortalPartition(directoryId), PartitionLayout.PortalLinkPrefix), cancellationToken: cancellationToken))
        {
            result.Add(ToLink(directoryId, entity));
        }
        return result;
    }

    /// <summary>Marks a link revoked (its ETag changes, so a redeem in flight fails); false when there is no such link.</summary>
    public async Task<bool> MarkRevokedAsync(string? directoryId, string linkId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        try
        {
            await client.UpdateEntityAsync(
                new TableEntity(PartitionLayout.PortalPartition(directoryId), PartitionLayout.PortalLink(linkId)) { [RevokedProperty] = at },
                ETag.All, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Stores a session and the link's last redeem in one transaction guarded by the link's ETag as read: a link
    /// revoked since then fails it, so no session outlives a revocation. False when the guard failed.
    /// </summary>
    public async Task<bool> AddSessionAsync(ETag linkETag, PortalSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var partition = PartitionLayout.PortalPartition(session.DirectoryId);
        var link = new TableEntity(partition, PartitionLayout.PortalLink(session.LinkId)) { [RedeemedProperty] = now };
        var row = new TableEntity(partition, PartitionLayout.PortalSession(session.LinkId, session.SessionHash))
        {
            [ScopesProperty] = string.Join(',', session.Scopes),
            [CreatedProperty] = now,
            [ExpiresProperty] = session.ExpiresAt,
        };
        try
        {
            await client.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, link, linkETag),
                new TableTransactionAction(TableTransactionActionType.Add, row),
            ], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException failure) when (failure.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    /// <summary>A session row and its link's row, in one request (both are in one partition).</summary>
    public async Task<(PortalLink? Link, PortalSession? Session)> ReadSessionAsync(string? directoryId, string linkId, string sessionHash, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var partition = PartitionLayout.PortalPartition(directoryId);
        var linkKey = PartitionLayout.PortalLink(linkId);
        var sessionKey = PartitionLayout.PortalSession(linkId, sessionHash);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and (RowKey eq {linkKey} or RowKey eq {sessionKey})");
        PortalLink? link = null;
        PortalSession? session = null;
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, maxPerPage: 2, cancellationToken: cancellationToken))
        {
            if (entity.RowKey == linkKey) link = ToLink(directoryId, entity);
            else if (entity.RowKey == sessionKey) session = new PortalSession(directoryId, linkId, sessionHash, ReadScopes(entity), entity.GetDateTimeOffset(ExpiresProperty) ?? DateTimeOffset.MinValue);
        }
        return (link, session);
    }

    /// <summary>Pushes a session's expiry forward; false when the session was ended meanwhile (merge, not upsert).</summary>
    public async Task<bool> ExtendSessionAsync(PortalSession session, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        try
        {
            await client.UpdateEntityAsync(
                new TableEntity(PartitionLayout.PortalPartition(session.DirectoryId), PartitionLayout.PortalSession(session.LinkId, session.SessionHash))
                {
                    [ExpiresProperty] = expiresAt,
                },
                ETag.All, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            return false;
        }
    }

    public async Task DeleteSessionAsync(string? directoryId, string linkId, string sessionHash, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        try
        {
            await client.DeleteEntityAsync(PartitionLayout.PortalPartition(directoryId), PartitionLayout.PortalSession(linkId, sessionHash), ETag.All, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
        }
    }

    /// <summary>Deletes every session redeemed from a link (1 key read, then 1 transaction per 100).</summary>
    public async Task DeleteSessionsOfLinkAsync(string? directoryId, string linkId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var partition = PartitionLayout.PortalPartition(directoryId);
        var prefix = PartitionLayout.PortalSessionsOf(linkId);
        var keys = new List<string>();
        await foreach (var hash in ScimDataTable.KeysUnderAsync(client, partition, prefix, null, null, cancellationToken)) keys.Add(prefix + hash);
        foreach (var chunk in keys.Chunk(100))
        {
            await client.SubmitTransactionAsync(
                chunk.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, key), ETag.All)),
                cancellationToken);
        }
    }

    private static PortalLink ToLink(string? directoryId, TableEntity entity) => new(
        directoryId,
        PartitionLayout.AfterPrefix(PartitionLayout.PortalLinkPrefix, entity.RowKey),
        ReadScopes(entity),
        entity.GetDateTimeOffset(CreatedProperty) ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset(ExpiresProperty) ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset(RevokedProperty),
        entity.GetDateTimeOffset(RedeemedProperty));

    private static IReadOnlyList<string> ReadScopes(TableEntity entity) =>
        (entity.GetString(ScopesProperty) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
}
