namespace ScimFunctions.Storage;

/// <summary>
/// A storage outcome the caller turns into a SCIM error (RFC 7644 §3.12). Whenever one of these is thrown,
/// nothing was changed by the failing call, except where a subclass says otherwise.
/// </summary>
public abstract class ScimStoreException(string message, int status, string? scimType) : Exception(message)
{
    /// <summary>The HTTP status the caller should answer.</summary>
    public int Status { get; } = status;

    /// <summary>The RFC 7644 <c>scimType</c>, when the status has one.</summary>
    public string? ScimType { get; } = scimType;
}

/// <summary>A unique attribute (<c>userName</c>, group <c>displayName</c>) is taken: 409 <c>uniqueness</c>.</summary>
public sealed class UniquenessConflictException(string attribute, string value)
    : ScimStoreException($"The {attribute} '{value}' is already in use in this directory.", 409, "uniqueness")
{
    public string Attribute { get; } = attribute;
    public string Value { get; } = value;
}

/// <summary>No such resource in this directory: 404.</summary>
public sealed class ResourceNotFoundException(string resourceType, string id)
    : ScimStoreException($"{resourceType} '{id}' not found.", 404, null)
{
    public string ResourceType { get; } = resourceType;
    public string Id { get; } = id;
}

/// <summary>If-Match named another version, or the resource changed during the write: 412.</summary>
public sealed class VersionMismatchException(string resourceType, string id)
    : ScimStoreException($"{resourceType} '{id}' has changed; its version does not match.", 412, null);

/// <summary>The document is larger than <see cref="DocumentCodec.MaxDocumentBytes"/>: 413.</summary>
public sealed class DocumentTooLargeException(int actualBytes)
    : ScimStoreException(
        $"The resource is {actualBytes} bytes as JSON; at most {DocumentCodec.MaxDocumentBytes} can be stored.", 413, null)
{
    public int ActualBytes { get; } = actualBytes;
}

/// <summary>A cursor that this service did not issue (or for another directory or resource type): 400 <c>invalidCursor</c>.</summary>
public sealed class InvalidCursorException()
    : ScimStoreException("The cursor is not valid here.", 400, "invalidCursor");

/// <summary>A value the store cannot accept: 400 <c>invalidValue</c> (a missing <c>userName</c>, member ids
/// that are not users of this directory).</summary>
public sealed class InvalidStoreValueException(string message, IReadOnlyList<string>? offendingValues = null)
    : ScimStoreException(message, 400, "invalidValue")
{
    public IReadOnlyList<string> OffendingValues { get; } = offendingValues ?? [];
}
