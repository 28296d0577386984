using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimFunctions.Tests.TestSupport;

/// <summary>Holds the answer of the next read once armed: storage has answered (the state is read), the caller
/// has not got it yet, so a test can commit a change while that read is still in flight.</summary>
public sealed class HeldReadPolicy : HttpPipelinePolicy
{
    private TaskCompletionSource? armed;
    private Func<HttpMessage, bool> which = _ => true;

    /// <summary>Completes when storage has answered the held read.</summary>
    public TaskCompletionSource Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="matching">which read to hold (the next one when null)</param>
    public void HoldNextRead(Func<HttpMessage, bool>? matching = null)
    {
        which = matching ?? (_ => true);
        Volatile.Write(ref armed, Release);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The app reads asynchronously.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var hold = message.Request.Method == RequestMethod.Get && Volatile.Read(ref armed) is not null && which(message) ? Interlocked.Exchange(ref armed, null) : null;
        await ProcessNextAsync(message, pipeline);
        if (hold is null) return;
        Answered.TrySetResult();
        await hold.Task;
    }
}
