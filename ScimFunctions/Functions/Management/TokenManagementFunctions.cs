using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;

namespace ScimFunctions.Functions.Management;

/// <summary>A directory's bearer tokens: mint (the token is shown once, here), list metadata, revoke. A token
/// store that does not answer is a 503 (through <see cref="HttpEdge"/>); nothing is kept then.</summary>
public sealed class TokenManagementFunctions(
    DirectoryService directories,
    TokenService tokens,
    ScimBaseUrls baseUrls,
    TimeProvider time,
    HttpEdge edge)
{
    /// <summary><c>{"label": "...", "expiresAt": "2030-01-01T00:00:00Z"}</c>; expiresAt is optional.</summary>
    [Function("ManageCreateToken")]
    public Task<IActionResult> CreateToken(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.Tokens)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            var label = ManagementJson.RequiredText(body, "label", TokenMetadata.MaxLabelLength, out error);
            if (label is null) return error!;
            var expiresText = ManagementJson.OptionalString(body, "expiresAt", out error);
            if (error is not null) return error;
            DateTimeOffset? expiresAt = null;
            if (expiresText is not null)
            {
                if (!DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return ManagementJson.Invalid("'expiresAt' must be an ISO 8601 date and time.");
                }
                if (parsed <= time.GetUtcNow()) return ManagementJson.Invalid("'expiresAt' must be in the future.");
                expiresAt = parsed.ToUniversalTime();
            }

            var directory = await directories.GetAsync(directoryId, cancellationToken);
            if (directory is null) return ManagementJson.NotFound("directory");

            var minted = await tokens.MintAsync(directory.Id, label, expiresAt, cancellationToken);
            var json = ManagementJson.Token(minted.Metadata, time.GetUtcNow());
            json["token"] = minted.Token;
            json["scimBaseUrl"] = baseUrls.For(req, directory.Id);
            return new PlainJsonResult(StatusCodes.Status201Created, json)
                .WithHeader("Cache-Control", "no-store")
                .WithHeader("Location", ManagementRoutes.TokenPath(directory.Id, minted.Metadata.TokenId));
        });

    [Function("ManageListTokens")]
    public Task<IActionResult> ListTokens(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.Tokens)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            if (directory is null) return ManagementJson.NotFound("directory");
            var now = time.GetUtcNow();
            var list = new JsonArray();
            foreach (var token in (await tokens.ListAsync(directory.Id, cancellationToken)).OrderBy(t => t.Created).ThenBy(t => t.TokenId, StringComparer.Ordinal))
            {
                list.Add(ManagementJson.Token(token, now));
            }
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["tokens"] = list });
        });

    [Function("ManageRevokeToken")]
    public Task<IActionResult> RevokeToken(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ManagementRoutes.Token)] HttpRequest req,
        string directoryId,
        string tokenId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            if (directory is null) return ManagementJson.NotFound("directory");
            return await tokens.RevokeAsync(directory.Id, tokenId, cancellationToken)
                ? new PlainJsonResult(StatusCodes.Status204NoContent)
                : ManagementJson.NotFound("token");
        });
}
