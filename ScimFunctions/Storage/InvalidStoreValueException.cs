namespace ScimFunctions.Storage;

/// <summary>A value the store cannot accept: a missing <c>userName</c>, member ids that are not users of this
/// directory.</summary>
public sealed class InvalidStoreValueException(string message, IReadOnlyList<string>? offendingValues = null)
    : ScimStoreException(message)
{
    public IReadOnlyList<string> OffendingValues { get; } = offendingValues ?? [];
}
