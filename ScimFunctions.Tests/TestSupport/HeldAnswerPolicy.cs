using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimFunctions.Tests.TestSupport;

/// <summary>Holds the answer of the next chosen call once armed: storage has answered (the state is read, or the
/// write committed), the caller has not got it yet, so a test can commit a change while that call is still in flight.</summary>
public sealed class HeldAnswerPolicy : HttpPipelinePolicy
{
    private TaskCompletionSource? armed;
    private Func<HttpMessage, bool> which = IsRead;

    /// <summary>Completes when storage has answered the held call.</summary>
    public TaskCompletionSource Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="matching">which read to hold (the next one when null)</param>
    public void HoldNextRead(Func<HttpMessage, bool>? matching = null) =>
        HoldNext(matching is null ? IsRead : message => IsRead(message) && matching(message));

    /// <summary>Holds the answer of the next call of any kind that <paramref name="matching"/> picks.</summary>
    public void HoldNext(Func<HttpMessage, bool> matching)
    {
        which = matching;
        Volatile.Write(ref armed, Release);
    }

    private static bool IsRead(HttpMessage message) => message.Request.Method == RequestMethod.Get;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The app reads asynchronously.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var hold = Volatile.Read(ref armed) is not null && which(message) ? Interlocked.Exchange(ref armed, null) : null;
        await ProcessNextAsync(message, pipeline);
        if (hold is null) return;
        Answered.TrySetResult();
        await hold.Task;
    }
}
