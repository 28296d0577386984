using System.Globalization;
using System.Text.Json.Nodes;

namespace ScimFunctions.Scim;

/// <summary>The <c>scimType</c> values of RFC 7644 §3.12.</summary>
public static class ScimErrorType
{
    public const string InvalidFilter = "invalidFilter";
    public const string TooMany = "tooMany";
    public const string Uniqueness = "uniqueness";
    public const string Mutability = "mutability";
    public const string InvalidSyntax = "invalidSyntax";
    public const string InvalidPath = "invalidPath";
    public const string NoTarget = "noTarget";
    public const string InvalidValue = "invalidValue";
    public const string InvalidVersion = "invalidVers";
    public const string Sensitive = "sensitive";
}

/// <summary>A protocol error that maps one-to-one onto an RFC 7644 §3.12 error response.</summary>
public sealed class ScimException : Exception
{
    public ScimException(int status, string? scimType, string detail) : base(detail)
    {
        Status = status;
        ScimType = scimType;
        Detail = detail;
    }

    public int Status { get; }
    public string? ScimType { get; }
    public string Detail { get; }

    public ScimError ToError() => new(Status, ScimType, Detail);

    public static ScimException BadRequest(string scimType, string detail) => new(400, scimType, detail);
    public static ScimException NotFound(string detail) => new(404, null, detail);
    public static ScimException Conflict(string detail) => new(409, ScimErrorType.Uniqueness, detail);

    internal static ScimException InvalidFilter(string detail) => BadRequest(ScimErrorType.InvalidFilter, detail);
    internal static ScimException InvalidPath(string detail) => BadRequest(ScimErrorType.InvalidPath, detail);
    internal static ScimException InvalidValue(string detail) => BadRequest(ScimErrorType.InvalidValue, detail);
    internal static ScimException InvalidSyntax(string detail) => BadRequest(ScimErrorType.InvalidSyntax, detail);
    internal static ScimException Mutability(string detail) => BadRequest(ScimErrorType.Mutability, detail);
    internal static ScimException NoTarget(string detail) => BadRequest(ScimErrorType.NoTarget, detail);
}

/// <summary>The RFC 7644 §3.12 error body. <c>status</c> is written as a string, as the RFC's examples show.</summary>
public sealed record ScimError(int Status, string? ScimType, string Detail)
{
    public JsonObject ToJson()
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimConstants.ErrorSchema),
            ["status"] = Status.ToString(CultureInfo.InvariantCulture),
        };
        if (ScimType is not null) body["scimType"] = ScimType;
        body["detail"] = Detail;
        return body;
    }
}
