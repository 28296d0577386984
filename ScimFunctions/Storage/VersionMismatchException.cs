namespace ScimFunctions.Storage;

/// <summary>If-Match named another version, or the resource changed during the write.</summary>
public sealed class VersionMismatchException(string resourceType, string id)
    : ScimStoreException($"{resourceType} '{id}' has changed; its version does not match.");
