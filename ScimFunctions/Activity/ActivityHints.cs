using System.Globalization;
using System.Text.RegularExpressions;
using ScimFunctions.Auth;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Activity;

/// <summary>
/// The plain-language diagnosis of a failed request, keyed by what happened (the authentication outcome or the
/// failure's type), never by its message, so no client value reaches a hint.
/// </summary>
public static partial class ActivityHints
{
    public const string MissingToken = "missingToken";
    public const string UnknownOrRevokedToken = "unknownOrRevokedToken";
    public const string RevokedToken = "revokedToken";
    public const string WrongToken = "wrongToken";
    public const string WrongDirectory = "wrongDirectory";
    public const string TokenDisabled = "tokenDisabled";
    public const string ExpiredToken = "expiredToken";
    public const string DirectoryMissing = "directoryMissing";
    public const string DirectoryDisabled = "directoryDisabled";
    public const string StorageUnavailable = "storageUnavailable";
    public const string NameTaken = "nameTaken";
    public const string UnknownMember = "unknownMember";
    public const string InvalidFilter = "invalidFilter";
    public const string UnsupportedPatchPath = "unsupportedPatchPath";
    public const string BodyTooLarge = "bodyTooLarge";
    public const string NotFound = "notFound";
    public const string PreconditionFailed = "preconditionFailed";
    public const string UnsupportedMediaType = "unsupportedMediaType";
    public const string InvalidRequest = "invalidRequest";
    public const string Unexpected = "unexpected";

    public static ActivityHint For(ScimAuthFailure failure, string? tokenId) => failure switch
    {
        ScimAuthFailure.MissingOrMalformedToken => new(MissingToken,
            "No bearer token, or not a token of this service: paste a token minted for this directory into the IdP (Authorization: Bearer …)."),
        ScimAuthFailure.UnknownOrRevokedToken => new(UnknownOrRevokedToken,
            $"Token {Name(tokenId)} is not a token of this directory (never minted here, or revoked and removed): mint a new one and paste it into the IdP."),
        ScimAuthFailure.TokenMismatch => new(WrongToken,
            $"The secret does not match token {Name(tokenId)}: the token was mistyped or cut short; paste it again, whole."),
        ScimAuthFailure.WrongDirectory => new(WrongDirectory,
            $"Token {Name(tokenId)} belongs to another directory: use this directory's token, or the SCIM base URL of the token's directory."),
        ScimAuthFailure.TokenDisabled => new(TokenDisabled, $"Token {Name(tokenId)} is disabled: mint a new token and paste it into the IdP."),
        ScimAuthFailure.TokenExpired => new(ExpiredToken, $"Token {Name(tokenId)} has expired: mint a new token and paste it into the IdP."),
        ScimAuthFailure.DirectoryMissing => new(DirectoryMissing, "This directory is being deleted: SCIM requests are refused."),
        ScimAuthFailure.DirectoryDisabled => new(DirectoryDisabled, "This directory is disabled: enable it to resume provisioning."),
        ScimAuthFailure.TokenStoreUnavailable => StorageHint,
        _ => new(MissingToken, "The request was not authenticated."),
    };

    /// <summary>The hint for a token that was revoked, once the writer has read when.</summary>
    public static ActivityHint Revoked(string tokenId, DateTimeOffset revokedAt) => new(RevokedToken,
        $"Token {tokenId} was revoked at {revokedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}: paste a current token into the IdP.");

    /// <summary>The hint for a request the service answered with an error, or null for a success.</summary>
    public static ActivityHint? For(Exception? exception, int status, string? scimType)
    {
        if (status < 400) return null;
        return exception switch
        {
            UniquenessConflictException conflict => new(NameTaken,
                $"That {conflict.Attribute} is already taken in this directory: the IdP is creating a resource that exists; let it match the existing one (by {conflict.Attribute}), or delete that one first."),
            InvalidStoreValueException { OffendingValues.Count: > 0 } invalid when invalid.Message.StartsWith("Not users", StringComparison.Ordinal) => new(UnknownMember,
                $"Unknown member id(s) {string.Join(", ", invalid.OffendingValues.Where(PartitionLayout.IsServerId).Take(5).DefaultIfEmpty("(not server ids)"))}: the IdP sent members that are not users of this directory; provision those users first."),
            _ => ByOutcome(exception, status, scimType),
        };
    }

    private static ActivityHint ByOutcome(Exception? exception, int status, string? scimType) => (status, scimType) switch
    {
        (503, _) => StorageHint,
        (413, _) => new(BodyTooLarge, "The request body is larger than the service accepts (1 MiB): send fewer members per request."),
        (415, _) => new(UnsupportedMediaType, "The body must be sent as application/scim+json or application/json."),
        (404, _) => new(NotFound, "No such resource in this directory (deleted, or never created here)."),
        (412, _) => new(PreconditionFailed, "The resource changed since the IdP read it (If-Match): the IdP should read it again."),
        (400, ScimErrorType.InvalidFilter) => new(InvalidFilter, "The filter could not be read" + Position(exception) + "."),
        (400, ScimErrorType.InvalidPath or ScimErrorType.NoTarget) => new(UnsupportedPatchPath,
            "A PATCH path this service does not support, or one that matches nothing: see /Schemas for the attributes."),
        (>= 500, _) => new(Unexpected, "The service failed unexpectedly; the IdP should retry."),
        _ => new(InvalidRequest, $"The request was refused ({scimType ?? status.ToString(CultureInfo.InvariantCulture)}): see the detail."),
    };

    private static readonly ActivityHint StorageHint = new(StorageUnavailable, "Storage was unavailable for a moment: nothing was changed; the IdP retries (it is told Retry-After).");

    private static string Name(string? tokenId) => tokenId ?? "(none)";

    private static string Position(Exception? exception) =>
        exception?.Message is { } message && PositionPattern().Match(message) is { Success: true } match ? " at position " + match.Groups[1].Value : "";

    [GeneratedRegex(@"at position (\d+)")]
    private static partial Regex PositionPattern();
}
