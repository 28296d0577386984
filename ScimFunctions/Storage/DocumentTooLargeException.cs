namespace ScimFunctions.Storage;

/// <summary>The document is larger than <see cref="DocumentCodec.MaxDocumentBytes"/> and cannot be stored.</summary>
public sealed class DocumentTooLargeException(int actualBytes)
    : ScimStoreException($"The resource is {actualBytes} bytes as JSON; at most {DocumentCodec.MaxDocumentBytes} can be stored.")
{
    public int ActualBytes { get; } = actualBytes;
}
