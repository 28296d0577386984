namespace ScimFunctions.Storage;

/// <summary>
/// A storage outcome that refuses the caller's request; each subclass names what happened and the HTTP edge
/// chooses the response. Whenever one of these is thrown, nothing was changed by the failing call, except
/// where a subclass says otherwise.
/// </summary>
public abstract class ScimStoreException(string message) : Exception(message);
