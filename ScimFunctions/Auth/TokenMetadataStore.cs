using ScimFunctions.Storage;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Directories;

namespace ScimFunctions.Auth;

/// <summary>
/// Token metadata rows (partition = directory, row = token id), so listing tokens is a partition query and
/// never enumerates the vault.
/// </summary>
public sealed class TokenMetadataStore(EnsuredTable table)
{
    public async Task AddAsync(TokenMetadata token, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        await client.AddEntityAsync(ToEntity(token), cancellationToken);
    }

    public async Task<TokenMetadata?> GetAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        if (!ScimDirectory.IsValidId(directoryId) || !ScimToken.IsTokenId(tokenId)) return null;
        var client = await table.GetAsync(cancellationToken);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(directoryId, tokenId, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<TokenMetadata>> ListAsync(string directoryId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var result = new List<TokenMetadata>();
        // Token ids are hex digits, so every token row sorts before the slot rows.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {directoryId} and RowKey lt {PartitionLayout.TokenSlotPrefix}");
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }
        return result;
    }

    public async Task MarkRevokedAsync(string directoryId, string tokenId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var patch = new TableEntity(directoryId, tokenId) { ["RevokedAt"] = revokedAt };
        await client.UpdateEntityAsync(patch, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Records a token's last use; a token removed meanwhile stays removed (merge, not upsert).</summary>
    public async Task MarkUsedAsync(string directoryId, string tokenId, DateTimeOffset usedAt, string? userAgent, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var patch = new TableEntity(directoryId, tokenId) { ["LastUsedAt"] = usedAt, ["LastUserAgent"] = userAgent ?? "" };
        await client.UpdateEntityAsync(patch, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task DeleteAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        await client.DeleteEntityAsync(directoryId, tokenId, ETag.All, cancellationToken);
    }

    /// <summary>
    /// Claims a free active-token slot for <paramref name="tokenId"/>: an insert-if-absent of one of the
    /// <see cref="TokenMetadata.MaxActive"/> slot rows, or an ETag-guarded takeover of a slot whose token has
    /// expired. Concurrent mints race on the same rows, so at most that many succeed. Null when all are held.
    /// </summary>
    public async Task<int?> ClaimSlotAsync(string directoryId, string tokenId, DateTimeOffset? expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        for (var slot = 0; slot < TokenMetadata.MaxActive; slot++)
        {
            var row = new TableEntity(directoryId, PartitionLayout.TokenSlot(slot)) { ["TokenId"] = tokenId };
            if (expiresAt is { } expires) row["ExpiresAt"] = expires;
            try
            {
                await client.AddEntityAsync(row, cancellationToken);
                return slot;
            }
            catch (RequestFailedException failure) when (failure.Status == 409)
            {
            }
            var held = await client.GetEntityIfExistsAsync<TableEntity>(directoryId, PartitionLayout.TokenSlot(slot), cancellationToken: cancellationToken);
            var free = !held.HasValue || held.Value!.GetDateTimeOffset("ExpiresAt") is { } heldUntil && heldUntil <= now;
            if (!free) continue;
            try
            {
                if (held.HasValue) await client.UpdateEntityAsync(row, held.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else await client.AddEntityAsync(row, cancellationToken);
                return slot;
            }
            catch (RequestFailedException failure) when (failure.Status is 409 or 412 or 404)
            {
                // Another mint took it in between.
            }
        }
        return null;
    }

    /// <summary>Frees the slot if <paramref name="tokenId"/> still holds it (a slot taken over after expiry is left alone).</summary>
    public async Task ReleaseSlotAsync(string directoryId, int slot, string tokenId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var held = await client.GetEntityIfExistsAsync<TableEntity>(directoryId, PartitionLayout.TokenSlot(slot), cancellationToken: cancellationToken);
        if (!held.HasValue || held.Value!.GetString("TokenId") != tokenId) return;
        try
        {
            await client.DeleteEntityAsync(directoryId, PartitionLayout.TokenSlot(slot), held.Value!.ETag, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status is 404 or 412)
        {
        }
    }

    /// <summary>Removes every slot row of a directory (the end of a delete).</summary>
    public async Task DeleteSlotsAsync(string directoryId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        for (var slot = 0; slot < TokenMetadata.MaxActive; slot++)
        {
            try
            {
                await client.DeleteEntityAsync(directoryId, PartitionLayout.TokenSlot(slot), ETag.All, cancellationToken);
            }
            catch (RequestFailedException failure) when (failure.Status == 404)
            {
            }
        }
    }

    private static TableEntity ToEntity(TokenMetadata token)
    {
        var entity = new TableEntity(token.DirectoryId, token.TokenId)
        {
            ["Label"] = token.Label,
            ["Created"] = token.Created,
        };
        if (token.ExpiresAt is { } expires) entity["ExpiresAt"] = expires;
        if (token.RevokedAt is { } revoked) entity["RevokedAt"] = revoked;
        if (token.Last4 is { } last4) entity["Last4"] = last4;
        if (token.Slot is { } slot) entity["Slot"] = slot;
        return entity;
    }

    private static TokenMetadata FromEntity(TableEntity entity) => new(
        entity.PartitionKey,
        entity.RowKey,
        entity.GetString("Label") ?? "",
        entity.GetDateTimeOffset("Created") ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset("ExpiresAt"),
        entity.GetDateTimeOffset("RevokedAt"))
    {
        LastUsedAt = entity.GetDateTimeOffset("LastUsedAt"),
        LastUserAgent = entity.GetString("LastUserAgent") is { Length: > 0 } agent ? agent : null,
        Last4 = entity.GetString("Last4"),
        Slot = entity.GetInt32("Slot"),
    };
}
