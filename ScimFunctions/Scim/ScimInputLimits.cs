namespace ScimFunctions.Scim;

/// <summary>
/// The limits every request body is held to before anything is stored, chosen far above what identity
/// providers send (their bodies carry fewer than 100 attributes) so that only hostile or broken input meets them.
/// </summary>
public static class ScimInputLimits
{
    /// <summary>Nesting of objects and arrays; a SCIM document needs at most 4 or 5 levels.</summary>
    public const int MaxDepth = 32;

    /// <summary>Keys in one JSON object (a resource, an extension, a complex value).</summary>
    public const int MaxObjectMembers = 1_000;

    /// <summary>Elements in one JSON array; PATCH member lists of many thousands fit.</summary>
    public const int MaxArrayElements = 10_000;

    /// <summary>
    /// Values of one multi-valued attribute of a resource (emails, roles, entitlements...). Group members are not
    /// in the document and are bounded by <see cref="MaxArrayElements"/> per request instead.
    /// </summary>
    public const int MaxMultiValuedValues = 1_000;

    /// <summary>
    /// Characters in <c>userName</c>, <c>displayName</c> and <c>externalId</c>: they are indexed, copied into
    /// membership rows and compared in filters, so they are held to many times the length of a long email address. They must be
    /// strings (not numbers or booleans) without control characters.
    /// </summary>
    public const int MaxIdentifierLength = 1_024;
}
