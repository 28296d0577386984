using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimFunctions.Tests.Storage;

/// <summary>
/// Counts the HTTP requests the Table SDK sends (attached per retry, so every request on the wire counts),
/// split into entity group transactions (<c>$batch</c>), other writes and reads.
/// </summary>
public sealed class RoundTripCounter : HttpPipelinePolicy
{
    private int _reads;
    private int _transactions;
    private int _otherWrites;

    public int Reads => Volatile.Read(ref _reads);
    public int Transactions => Volatile.Read(ref _transactions);
    public int OtherWrites => Volatile.Read(ref _otherWrites);
    public int Total => Reads + Transactions + OtherWrites;

    public void Reset()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _transactions, 0);
        Interlocked.Exchange(ref _otherWrites, 0);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)) Interlocked.Increment(ref _transactions);
        else if (message.Request.Method == RequestMethod.Get) Interlocked.Increment(ref _reads);
        else Interlocked.Increment(ref _otherWrites);
    }
}

/// <summary>Fails chosen <c>$batch</c> requests (by their 1-based number) before they reach storage, to
/// test what a write interrupted halfway leaves behind.</summary>
public sealed class FailingTransactionPolicy : HttpPipelinePolicy
{
    private int _seen;

    public HashSet<int> FailOn { get; } = [];

    /// <summary>Runs once, just before the next transaction is sent: another writer getting in between.</summary>
    public Func<Task>? Interleave
    {
        get => Volatile.Read(ref _interleave);
        set => Volatile.Write(ref _interleave, value);
    }

    private Func<Task>? _interleave;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfChosen(message);
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Exchange(ref _interleave, null) is { } other)
        {
            await other();
        }
        ThrowIfChosen(message);
        await ProcessNextAsync(message, pipeline);
    }

    private void ThrowIfChosen(HttpMessage message)
    {
        if (!message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)) return;
        if (FailOn.Contains(Interlocked.Increment(ref _seen))) throw new IOException("Injected failure of a storage transaction.");
    }
}
