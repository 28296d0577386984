namespace ScimFunctions.Scim;

/// <summary>The <c>scimType</c> values of RFC 7644 §3.12 (and RFC 9865's <c>invalidCursor</c>).</summary>
public static class ScimErrorType
{
    public const string InvalidFilter = "invalidFilter";
    public const string TooMany = "tooMany";
    /// <summary>A bulk request over <c>maxPayloadSize</c> (413).</summary>
    public const string TooLarge = "tooLarge";
    public const string Uniqueness = "uniqueness";
    public const string Mutability = "mutability";
    public const string InvalidSyntax = "invalidSyntax";
    public const string InvalidPath = "invalidPath";
    public const string NoTarget = "noTarget";
    public const string InvalidValue = "invalidValue";
    public const string InvalidVersion = "invalidVers";
    public const string Sensitive = "sensitive";
    public const string InvalidCursor = "invalidCursor";
}
