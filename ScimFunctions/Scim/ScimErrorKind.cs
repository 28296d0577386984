namespace ScimFunctions.Scim;

/// <summary>What went wrong with a request, in protocol terms; the HTTP edge chooses the status for each.</summary>
public enum ScimErrorKind
{
    /// <summary>The request is malformed or names a value that cannot be accepted; see the <c>scimType</c>.</summary>
    InvalidRequest,

    /// <summary>The resource (or whatever the request names) does not exist here.</summary>
    NotFound,

    /// <summary>The request collides with the current state, such as a unique value already in use.</summary>
    Conflict,

    /// <summary>The request's precondition (a version in <c>If-Match</c>) does not hold.</summary>
    PreconditionFailed,

    /// <summary>The body is larger than the service accepts.</summary>
    PayloadTooLarge,

    /// <summary>The body is in a media type the service does not read.</summary>
    UnsupportedMediaType,

    /// <summary>The path exists but does not take the request's method.</summary>
    MethodNotAllowed,

    /// <summary>The request asks for something the service does not implement (RFC 7644 §3.11's <c>/Me</c>).</summary>
    NotImplemented,
}
