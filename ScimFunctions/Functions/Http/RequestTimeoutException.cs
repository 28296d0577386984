namespace ScimFunctions.Functions.Http;

/// <summary>
/// The client sent its request body too slowly (the server's minimum data rate or body timeout): answered 408,
/// since nothing was read that could be acted on.
/// </summary>
public sealed class RequestTimeoutException(string detail, Exception innerException) : Exception(detail, innerException)
{
    public string Detail { get; } = detail;
}
