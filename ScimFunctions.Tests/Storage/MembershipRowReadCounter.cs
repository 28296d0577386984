using Azure.Core;
using Azure.Core.Pipeline;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

/// <summary>
/// Counts the Table queries that read a user's group rows (<c>memberOf|…</c>), per request on the wire, so a
/// test over a whole host (whose auth and request log also read storage) can tell exactly how often a user's
/// groups were read.
/// </summary>
public sealed class MembershipRowReadCounter : HttpPipelinePolicy
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public void Reset() => Interlocked.Exchange(ref _reads, 0);

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
        if (message.Request.Method != RequestMethod.Get) return;
        var query = Uri.UnescapeDataString(message.Request.Uri.Query);
        if (query.Contains("'" + PartitionLayout.MemberOfPrefix, StringComparison.Ordinal)) Interlocked.Increment(ref _reads);
    }
}
