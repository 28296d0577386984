namespace ScimFunctions.Storage;

/// <summary>A cursor that this service did not issue (or for another directory or resource type).</summary>
public sealed class InvalidCursorException()
    : ScimStoreException("The \"cursor\" is not valid here: pass back a nextCursor of this list, or an empty cursor for the first page.");
