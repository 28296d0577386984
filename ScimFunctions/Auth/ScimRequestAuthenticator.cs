using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;

namespace ScimFunctions.Auth;

/// <summary>The outcome of authenticating a SCIM request; on failure <see cref="Failure"/> is the response to return.</summary>
public sealed class ScimAuthResult
{
    private ScimAuthResult(string? directoryId, string? tokenId, ScimResult? failure)
    {
        DirectoryId = directoryId;
        TokenId = tokenId;
        Failure = failure;
    }

    [MemberNotNullWhen(false, nameof(Failure))]
    [MemberNotNullWhen(true, nameof(DirectoryId), nameof(TokenId))]
    public bool Succeeded => Failure is null;

    public string? DirectoryId { get; }
    public string? TokenId { get; }
    public ScimResult? Failure { get; }

    public static ScimAuthResult Success(string directoryId, string tokenId) => new(directoryId, tokenId, null);
    public static ScimAuthResult Fail(ScimResult failure) => new(null, null, failure);
}

/// <summary>
/// The check every SCIM function makes first: a bearer token of this directory, enabled and unexpired, for
/// a directory that is active. Lookups go through <see cref="AuthCaches"/>, so each token costs one hash
/// store read per cache lifetime per instance.
/// </summary>
public sealed class ScimRequestAuthenticator(
    ITokenHashStore hashes,
    DirectoryStore directories,
    AuthCaches caches,
    ScimAuthOptions options,
    TimeProvider time,
    ILogger<ScimRequestAuthenticator> logger)
{
    /// <summary>One detail for every rejected credential, so a caller cannot tell which check failed.</summary>
    public const string UnauthorizedDetail = "A valid bearer token for this directory is required.";
    public const string DisabledDetail = "This directory is disabled.";
    public const string UnavailableDetail = "Tokens cannot be checked right now; retry later.";

    public async Task<ScimAuthResult> AuthenticateAsync(HttpRequest request, string directoryId, CancellationToken cancellationToken)
    {
        if (!TryReadBearer(request, out var token) || !ScimToken.TryParseTokenId(token, out var tokenId))
        {
            logger.LogInformation("SCIM request to directory {DirectoryId} rejected: no well-formed bearer token.", Printable(directoryId));
            return Unauthorized();
        }
        if (!ScimDirectory.IsValidId(directoryId))
        {
            logger.LogInformation("SCIM request with token {TokenId} rejected: malformed directory id.", tokenId);
            return Unauthorized();
        }

        StoredTokenHash? stored;
        try
        {
            stored = await caches.Tokens.GetAsync((directoryId, tokenId), key => hashes.FindAsync(key.DirectoryId, key.TokenId, CancellationToken.None), cancellationToken);
        }
        catch (TokenStoreUnavailableException)
        {
            logger.LogWarning("SCIM request with token {TokenId} to directory {DirectoryId} answered 503: token store unavailable.", tokenId, directoryId);
            return Unavailable();
        }

        var presented = ScimToken.Hash(token);
        var hashMatches = stored is not null && CryptographicOperations.FixedTimeEquals(presented, stored.Hash);
        var reason = stored is null ? "unknown or revoked"
            : !hashMatches ? "hash mismatch"
            : !string.Equals(stored.DirectoryId, directoryId, StringComparison.Ordinal) ? "other directory"
            : !stored.Enabled ? "disabled"
            : stored.ExpiresOn is { } expires && expires <= time.GetUtcNow() ? "expired"
            : null;
        if (reason is not null)
        {
            logger.LogInformation("SCIM request with token {TokenId} to directory {DirectoryId} rejected: {Reason}.", tokenId, directoryId, reason);
            return Unauthorized();
        }

        ScimDirectory? directory;
        try
        {
            directory = await caches.Directories.GetAsync(directoryId, id => directories.GetAsync(id, CancellationToken.None), cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or TimeoutException or HttpRequestException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("SCIM request to directory {DirectoryId} answered 503: directory table unavailable ({ExceptionType}).", directoryId, ex.GetType().Name);
            return Unavailable();
        }
        if (directory is null || directory.State == DirectoryState.Deleting)
        {
            logger.LogInformation("SCIM request with token {TokenId} rejected: directory {DirectoryId} missing or being deleted.", tokenId, directoryId);
            return Unauthorized();
        }
        if (directory.State == DirectoryState.Disabled)
        {
            logger.LogInformation("SCIM request with token {TokenId} rejected: directory {DirectoryId} is disabled.", tokenId, directoryId);
            return ScimAuthResult.Fail(ScimResult.Error(StatusCodes.Status403Forbidden, null, DisabledDetail));
        }
        return ScimAuthResult.Success(directoryId, tokenId);
    }

    private static bool TryReadBearer(HttpRequest request, [NotNullWhen(true)] out string? token)
    {
        token = null;
        var headers = request.Headers.Authorization;
        if (headers.Count != 1 || headers[0] is not { } value) return false;
        const string scheme = "Bearer ";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        token = value[scheme.Length..].Trim();
        return token.Length > 0;
    }

    private static ScimAuthResult Unauthorized() =>
        ScimAuthResult.Fail(ScimResult.Error(StatusCodes.Status401Unauthorized, null, UnauthorizedDetail)
            .WithHeader("WWW-Authenticate", "Bearer"));

    private ScimAuthResult Unavailable() => ScimAuthResult.Fail(UnavailableResult(options, UnavailableDetail));

    /// <summary>503 with Retry-After: the token store (or directory table) did not answer; the caller should retry.</summary>
    public static ScimResult UnavailableResult(ScimAuthOptions options, string detail) =>
        ScimResult.Error(StatusCodes.Status503ServiceUnavailable, null, detail)
            .WithHeader("Retry-After", ((int)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    /// <summary>Route values come from the caller; keep only a bounded, harmless form of them for logs.</summary>
    private static string Printable(string? value) =>
        value is null ? "" : ScimDirectory.IsValidId(value) ? value : "(malformed)";
}
