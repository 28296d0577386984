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
        await foreach (var entity in client.QueryAsync<TableEntity>(e => e.PartitionKey == directoryId, cancellationToken: cancellationToken))
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

    private static TableEntity ToEntity(TokenMetadata token)
    {
        var entity = new TableEntity(token.DirectoryId, token.TokenId)
        {
            ["Label"] = token.Label,
            ["Created"] = token.Created,
        };
        if (token.ExpiresAt is { } expires) entity["ExpiresAt"] = expires;
        if (token.RevokedAt is { } revoked) entity["RevokedAt"] = revoked;
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
    };
}
