using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using ScimFunctions.Directories;

namespace ScimFunctions.Auth;

/// <summary>
/// The check every SCIM function makes first: a bearer token of this directory, enabled and unexpired, for
/// a directory that is active. Lookups go through <see cref="AuthCaches"/>, so each token costs one hash
/// store read per cache lifetime per instance.
/// </summary>
public sealed class ScimRequestAuthenticator(
    ITokenHashStore hashes,
    DirectoryStore directories,
    AuthCaches caches,
    TimeProvider time,
    ILogger<ScimRequestAuthenticator> logger)
{
    /// <param name="authorization">The request's Authorization header values.</param>
    public async Task<ScimAuthOutcome> AuthenticateAsync(StringValues authorization, string directoryId, CancellationToken cancellationToken)
    {
        if (!TryReadBearer(authorization, out var token) || !ScimToken.TryParseTokenId(token, out var tokenId))
        {
            logger.LogInformation("SCIM request to directory {DirectoryId} rejected: no well-formed bearer token.", Printable(directoryId));
            return ScimAuthOutcome.Fail(ScimAuthFailure.MissingOrMalformedToken);
        }
        if (!ScimDirectory.IsValidId(directoryId))
        {
            logger.LogInformation("SCIM request with token {TokenId} rejected: malformed directory id.", tokenId);
            return ScimAuthOutcome.Fail(ScimAuthFailure.MalformedDirectoryId);
        }

        StoredTokenHash? stored;
        try
        {
            stored = await caches.Tokens.GetAsync((directoryId, tokenId), key => hashes.FindAsync(key.DirectoryId, key.TokenId, CancellationToken.None), cancellationToken);
        }
        catch (TokenStoreUnavailableException)
        {
            logger.LogWarning("SCIM request with token {TokenId} to directory {DirectoryId} refused: token store unavailable.", tokenId, directoryId);
            return ScimAuthOutcome.Fail(ScimAuthFailure.TokenStoreUnavailable);
        }

        var presented = ScimToken.Hash(token);
        var hashMatches = stored is not null && CryptographicOperations.FixedTimeEquals(presented, stored.Hash);
        ScimAuthFailure? rejected = stored is null ? ScimAuthFailure.UnknownOrRevokedToken
            : !hashMatches ? ScimAuthFailure.TokenMismatch
            : !string.Equals(stored.DirectoryId, directoryId, StringComparison.Ordinal) ? ScimAuthFailure.WrongDirectory
            : !stored.Enabled ? ScimAuthFailure.TokenDisabled
            : stored.ExpiresOn is { } expires && expires <= time.GetUtcNow() ? ScimAuthFailure.TokenExpired
            : null;
        if (rejected is { } reason)
        {
            logger.LogInformation("SCIM request with token {TokenId} to directory {DirectoryId} rejected: {Reason}.", tokenId, directoryId, reason);
            return ScimAuthOutcome.Fail(reason);
        }

        ScimDirectory? directory;
        try
        {
            directory = await caches.Directories.GetAsync(directoryId, id => directories.GetAsync(id, CancellationToken.None), cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or TimeoutException or HttpRequestException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("SCIM request to directory {DirectoryId} refused: directory table unavailable ({ExceptionType}).", directoryId, ex.GetType().Name);
            return ScimAuthOutcome.Fail(ScimAuthFailure.TokenStoreUnavailable);
        }
        if (directory is null || directory.State == DirectoryState.Deleting)
        {
            logger.LogInformation("SCIM request with token {TokenId} rejected: directory {DirectoryId} missing or being deleted.", tokenId, directoryId);
            return ScimAuthOutcome.Fail(ScimAuthFailure.DirectoryMissing);
        }
        if (directory.State == DirectoryState.Disabled)
        {
            logger.LogInformation("SCIM request with token {TokenId} rejected: directory {DirectoryId} is disabled.", tokenId, directoryId);
            return ScimAuthOutcome.Fail(ScimAuthFailure.DirectoryDisabled);
        }
        return ScimAuthOutcome.Success(directoryId, tokenId);
    }

    private static bool TryReadBearer(StringValues headers, [NotNullWhen(true)] out string? token)
    {
        token = null;
        if (headers.Count != 1 || headers[0] is not { } value) return false;
        const string scheme = "Bearer ";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        token = value[scheme.Length..].Trim();
        return token.Length > 0;
    }

    /// <summary>Route values come from the caller; keep only a bounded, harmless form of them for logs.</summary>
    private static string Printable(string? value) =>
        value is null ? "" : ScimDirectory.IsValidId(value) ? value : "(malformed)";
}
