namespace ScimFunctions.Auth;

/// <summary>Why a SCIM request was not authenticated.</summary>
public enum ScimAuthFailure
{
    /// <summary>No Authorization header, another scheme, or a bearer value that is not one of this service's tokens.</summary>
    MissingOrMalformedToken,

    /// <summary>The directory id in the URL cannot be a directory's.</summary>
    MalformedDirectoryId,

    /// <summary>No such token: never minted, or revoked.</summary>
    UnknownOrRevokedToken,

    /// <summary>The token's id is known but the secret does not match its hash.</summary>
    TokenMismatch,

    /// <summary>The token belongs to another directory.</summary>
    WrongDirectory,

    /// <summary>The token is disabled.</summary>
    TokenDisabled,

    /// <summary>The token is past its expiry.</summary>
    TokenExpired,

    /// <summary>The directory does not exist or is being deleted.</summary>
    DirectoryMissing,

    /// <summary>The directory exists and is disabled.</summary>
    DirectoryDisabled,

    /// <summary>The token store (or the directory table) did not answer; retryable.</summary>
    TokenStoreUnavailable,
}
