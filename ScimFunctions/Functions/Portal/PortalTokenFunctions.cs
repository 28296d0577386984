using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Auth;
using ScimFunctions.Functions.Http;
using ScimFunctions.Portal;

namespace ScimFunctions.Functions.Portal;

/// <summary>A directory's bearer tokens in the portal (scope <c>tokens</c>), through the same <see cref="TokenService"/>
/// as <c>/manage</c>, so the cap of <see cref="TokenMetadata.MaxActive"/> active tokens holds for both.</summary>
public sealed class PortalTokenFunctions(TokenService tokens, TimeProvider time, PortalEndpoint endpoint)
{
    [Function("PortalListTokens")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Tokens)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Tokens, async (session, directory) =>
        {
            var now = time.GetUtcNow();
            var list = (await tokens.ListAsync(directory.Id, cancellationToken))
                .OrderBy(token => token.Created).ThenBy(token => token.TokenId, StringComparer.Ordinal)
                .Select(token => (JsonNode?)Token(token, now))
                .ToArray();
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["tokens"] = new JsonArray(list), ["maxActive"] = TokenMetadata.MaxActive });
        }, cancellationToken);

    /// <summary><c>{"label"?}</c>; the token is in this answer only.</summary>
    [Function("PortalCreateToken")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PortalRoutes.Tokens)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Tokens, async (session, directory) =>
        {
            var body = await PortalRequests.ReadBodyAsync(req, cancellationToken);
            var label = PortalRequests.OptionalString(body, "label", TokenMetadata.MaxLabelLength)?.Trim();
            if (string.IsNullOrEmpty(label)) label = "Portal " + time.GetUtcNow().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var minted = await tokens.MintAsync(directory.Id, label, expiresAt: null, cancellationToken);
            var json = new JsonObject
            {
                ["id"] = minted.Metadata.TokenId,
                ["label"] = minted.Metadata.Label,
                ["token"] = minted.Token,
                ["last4"] = minted.Metadata.Last4,
                ["createdAt"] = PortalDirectoryJson.Timestamp(minted.Metadata.Created),
                ["expiresAt"] = PortalDirectoryJson.Timestamp(minted.Metadata.ExpiresAt),
            };
            return new PlainJsonResult(StatusCodes.Status201Created, json);
        }, cancellationToken);

    [Function("PortalRevokeToken")]
    public Task<IActionResult> Revoke(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = PortalRoutes.Token)] HttpRequest req,
        string directoryId,
        string tokenId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Tokens, async (session, directory) =>
            await tokens.RevokeAsync(directory.Id, tokenId, cancellationToken)
                ? new PlainJsonResult(StatusCodes.Status204NoContent)
                : PortalEndpoint.NotFound("No such token."), cancellationToken);

    private static JsonObject Token(TokenMetadata token, DateTimeOffset now) => new()
    {
        ["id"] = token.TokenId,
        ["label"] = token.Label,
        ["last4"] = token.Last4,
        ["createdAt"] = PortalDirectoryJson.Timestamp(token.Created),
        ["lastUsedAt"] = PortalDirectoryJson.Timestamp(token.LastUsedAt),
        ["lastUserAgent"] = token.LastUserAgent,
        ["expiresAt"] = PortalDirectoryJson.Timestamp(token.ExpiresAt),
        ["revokedAt"] = PortalDirectoryJson.Timestamp(token.RevokedAt),
        ["active"] = token.StatusAt(now) == "active",
    };
}
