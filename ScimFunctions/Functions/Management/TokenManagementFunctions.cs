using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;

namespace ScimFunctions.Functions.Management;

/// <summary>A directory's bearer tokens: mint (the token is shown once, here), list metadata, revoke.</summary>
public sealed class TokenManagementFunctions(
    DirectoryService directories,
    TokenService tokens,
    ScimBaseUrls baseUrls,
    ScimAuthOptions options,
    TimeProvider time)
{
    /// <summary><c>{"label": "...", "expiresAt": "2030-01-01T00:00:00Z"}</c>; expiresAt is optional.</summary>
    [Function("ManageCreateToken")]
    public async Task<IActionResult> CreateToken(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "manage/directories/{directoryId}/tokens")] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken)
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

        MintedToken minted;
        try
        {
            minted = await tokens.MintAsync(directory.Id, label, expiresAt, cancellationToken);
        }
        catch (TokenStoreUnavailableException)
        {
            return ManagementJson.Unavailable(options);
        }
        var json = ManagementJson.Token(minted.Metadata, time.GetUtcNow());
        json["token"] = minted.Token;
        json["scimBaseUrl"] = baseUrls.For(req, directory.Id);
        return new ScimResult(StatusCodes.Status201Created, json)
            .WithHeader("Cache-Control", "no-store")
            .WithHeader("Location", $"/manage/directories/{directory.Id}/tokens/{minted.Metadata.TokenId}");
    }

    [Function("ManageListTokens")]
    public async Task<IActionResult> ListTokens(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "manage/directories/{directoryId}/tokens")] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken)
    {
        var directory = await directories.GetAsync(directoryId, cancellationToken);
        if (directory is null) return ManagementJson.NotFound("directory");
        var now = time.GetUtcNow();
        var list = new JsonArray();
        foreach (var token in (await tokens.ListAsync(directory.Id, cancellationToken)).OrderBy(t => t.Created).ThenBy(t => t.TokenId, StringComparer.Ordinal))
        {
            list.Add(ManagementJson.Token(token, now));
        }
        return new ScimResult(StatusCodes.Status200OK, new JsonObject { ["tokens"] = list });
    }

    [Function("ManageRevokeToken")]
    public async Task<IActionResult> RevokeToken(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "manage/directories/{directoryId}/tokens/{tokenId}")] HttpRequest req,
        string directoryId,
        string tokenId,
        CancellationToken cancellationToken)
    {
        var directory = await directories.GetAsync(directoryId, cancellationToken);
        if (directory is null) return ManagementJson.NotFound("directory");
        try
        {
            return await tokens.RevokeAsync(directory.Id, tokenId, cancellationToken)
                ? new ScimResult(StatusCodes.Status204NoContent)
                : ManagementJson.NotFound("token");
        }
        catch (TokenStoreUnavailableException)
        {
            return ManagementJson.Unavailable(options);
        }
    }
}
