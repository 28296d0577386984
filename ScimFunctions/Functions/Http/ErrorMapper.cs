using Azure;
using Azure.Identity;
using Microsoft.AspNetCore.Http;
using ScimFunctions.Auth;
using ScimFunctions.Provisioning;
using ScimFunctions.Roles;
using ScimFunctions.Scim;
using ScimFunctions.Storage;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// The one place where failures become HTTP statuses. Exceptions and authentication outcomes say what
/// happened; this says what the client is told. Anything it does not know is a 500 with a generic detail,
/// and any sign of an unreachable, throttling or timing-out dependency is a 503 the client may retry.
/// </summary>
public static class ErrorMapper
{
    /// <summary>One detail for every rejected credential, so a caller cannot tell which check failed.</summary>
    public const string UnauthorizedDetail = "A valid bearer token for this directory is required.";
    public const string DisabledDetail = "This directory is disabled.";
    public const string TokensUnavailableDetail = "Tokens cannot be checked right now; retry later.";
    public const string TokenStoreUnavailableDetail = "The token store is unavailable; retry later.";
    public const string StorageUnavailableDetail = "Storage is unavailable right now; retry later.";
    public const string TooManyBadTokensDetail = "Too many requests with an invalid bearer token from this client; retry later.";
    public const string UnexpectedDetail = "The request could not be completed because of an unexpected error.";

    public static HttpError Map(Exception exception) => exception switch
    {
        ScimException failure => new(Status(failure.Kind), failure.ScimType, failure.Detail),
        RoleConfigurationException failure => new(Status(failure.Kind), failure.ScimType, failure.Message),
        UniquenessConflictException failure => new(StatusCodes.Status409Conflict, ScimErrorType.Uniqueness, failure.Message),
        ResourceNotFoundException failure => new(StatusCodes.Status404NotFound, null, failure.Message),
        VersionMismatchException failure => new(StatusCodes.Status412PreconditionFailed, null, failure.Message),
        DocumentTooLargeException failure => new(StatusCodes.Status413PayloadTooLarge, null, failure.Message),
        InvalidCursorException failure => new(StatusCodes.Status400BadRequest, ScimErrorType.InvalidCursor, failure.Message),
        WebhookTargetRefusedException failure => new(StatusCodes.Status400BadRequest, ScimErrorType.InvalidValue, failure.Message),
        InvalidStoreValueException failure => new(StatusCodes.Status400BadRequest, ScimErrorType.InvalidValue, failure.Message),
        RequestTimeoutException failure => new(StatusCodes.Status408RequestTimeout, null, failure.Detail),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new(StatusCodes.Status413PayloadTooLarge, null, $"The request body is larger than the server accepts ({ScimLimits.MaxRequestBodyBytes} bytes)."),
        BadHttpRequestException => new(StatusCodes.Status400BadRequest, ScimErrorType.InvalidSyntax, "The request could not be read."),
        TokenLimitException failure => new(StatusCodes.Status409Conflict, null, failure.Message) { Code = "token_limit" },
        TokenStoreUnavailableException => Unavailable(TokenStoreUnavailableDetail),
        _ when IsTransient(exception) => Unavailable(StorageUnavailableDetail),
        _ => new(StatusCodes.Status500InternalServerError, null, UnexpectedDetail),
    };

    public static HttpError Map(ScimAuthFailure failure) => failure switch
    {
        ScimAuthFailure.DirectoryDisabled => new(StatusCodes.Status403Forbidden, null, DisabledDetail),
        ScimAuthFailure.TokenStoreUnavailable => Unavailable(TokensUnavailableDetail),
        _ => new(StatusCodes.Status401Unauthorized, null, UnauthorizedDetail),
    };

    /// <summary>A client over its limit of bad tokens (<see cref="AuthFailureLimiter"/>).</summary>
    public static readonly HttpError TooManyBadTokens = new(StatusCodes.Status429TooManyRequests, null, TooManyBadTokensDetail);

    public static int Status(ScimErrorKind kind) => kind switch
    {
        ScimErrorKind.InvalidRequest => StatusCodes.Status400BadRequest,
        ScimErrorKind.NotFound => StatusCodes.Status404NotFound,
        ScimErrorKind.Conflict => StatusCodes.Status409Conflict,
        ScimErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ScimErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ScimErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ScimErrorKind.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ScimErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// A dependency that did not answer: Azure's 5xx, 408 and 429 (also inside a failed table transaction),
    /// status 0 (no response: connection refused or dropped), a network or credential failure, or a timeout.
    /// A cancellation is transient too: when the caller aborted, nobody reads the answer anyway.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException failure => failure.Status is 0 or 408 or 429 or >= 500 || failure.InnerException is { } inner && IsTransient(inner),
        TokenStoreUnavailableException or HttpRequestException or TimeoutException or IOException or OperationCanceledException => true,
        AuthenticationFailedException or CredentialUnavailableException => true,
        AggregateException { InnerExceptions.Count: > 0 } aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };

    private static HttpError Unavailable(string detail) => new(StatusCodes.Status503ServiceUnavailable, null, detail);
}
