using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimFunctions.Storage;

/// <summary>
/// Makes any exception the HTTP stack throws a storage failure the SDK knows: a <see cref="RequestFailedException"/>
/// with status 0 ("no response"), which its retry policy retries and the error mapper answers with 503. The SDK
/// converts the documented transport failures itself, but SocketsHttpHandler cancels an HTTP/1.1 call by
/// disposing its connection, and that can race with the call's completion (dotnet/runtime#112447): a later call
/// that takes the pooled connection then throws, say, an <see cref="ArgumentOutOfRangeException"/> from the
/// status-line parser, which would otherwise reach the request as a 500. The handler discards a connection that
/// threw, so the retry runs on a fresh one. It sits within the retry loop (every attempt), around the response
/// body's buffering and the transport; exceptions that did not come through System.Net.Http pass unchanged.
/// </summary>
public sealed class TransportFailurePolicy : HttpPipelinePolicy
{
    public static TransportFailurePolicy Instance { get; } = new();

    private TransportFailurePolicy()
    {
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception exception) when (IsUnexpectedTransportFailure(exception, message))
        {
            throw NoResponse(exception);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception exception) when (IsUnexpectedTransportFailure(exception, message))
        {
            throw NoResponse(exception);
        }
    }

    private static bool IsUnexpectedTransportFailure(Exception exception, HttpMessage message) =>
        exception is not (RequestFailedException or OperationCanceledException)
        && !message.CancellationToken.IsCancellationRequested
        && CameThroughHttpStack(exception);

    private static bool CameThroughHttpStack(Exception exception) =>
        new StackTrace(exception, fNeedFileInfo: false).GetFrames()
            .Any(frame => frame.GetMethod()?.DeclaringType?.Namespace?.StartsWith("System.Net.Http", StringComparison.Ordinal) == true);

    private static RequestFailedException NoResponse(Exception exception) =>
        new($"The HTTP stack failed the storage call ({exception.GetType().Name}).", exception);
}
