namespace ScimFunctions.Scim;

/// <summary>
/// A protocol error: what was wrong with the request (<see cref="Kind"/>), the RFC 7644 §3.12 <c>scimType</c>
/// when one applies, and a detail for the client. The HTTP edge turns it into the error response.
/// </summary>
public sealed class ScimException : Exception
{
    public ScimException(ScimErrorKind kind, string? scimType, string detail) : base(detail)
    {
        Kind = kind;
        ScimType = scimType;
        Detail = detail;
    }

    public ScimErrorKind Kind { get; }
    public string? ScimType { get; }
    public string Detail { get; }

    /// <summary>The same error with another detail (for example, naming the operation it came from).</summary>
    public ScimException WithDetail(string detail) => new(Kind, ScimType, detail);

    public static ScimException BadRequest(string scimType, string detail) => new(ScimErrorKind.InvalidRequest, scimType, detail);
    public static ScimException NotFound(string detail) => new(ScimErrorKind.NotFound, null, detail);
    public static ScimException Conflict(string detail) => new(ScimErrorKind.Conflict, ScimErrorType.Uniqueness, detail);
    public static ScimException PreconditionFailed(string detail) => new(ScimErrorKind.PreconditionFailed, null, detail);
    public static ScimException PayloadTooLarge(string detail) => new(ScimErrorKind.PayloadTooLarge, null, detail);
    public static ScimException UnsupportedMediaType(string detail) => new(ScimErrorKind.UnsupportedMediaType, null, detail);
    public static ScimException MethodNotAllowed(string detail) => new(ScimErrorKind.MethodNotAllowed, null, detail);
    public static ScimException NotImplemented(string detail) => new(ScimErrorKind.NotImplemented, null, detail);

    internal static ScimException InvalidFilter(string detail) => BadRequest(ScimErrorType.InvalidFilter, detail);
    internal static ScimException InvalidPath(string detail) => BadRequest(ScimErrorType.InvalidPath, detail);
    internal static ScimException InvalidValue(string detail) => BadRequest(ScimErrorType.InvalidValue, detail);
    internal static ScimException InvalidSyntax(string detail) => BadRequest(ScimErrorType.InvalidSyntax, detail);
    internal static ScimException Mutability(string detail) => BadRequest(ScimErrorType.Mutability, detail);
    internal static ScimException NoTarget(string detail) => BadRequest(ScimErrorType.NoTarget, detail);
}
