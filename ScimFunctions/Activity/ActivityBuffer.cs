using System.Threading.Channels;

namespace ScimFunctions.Activity;

/// <summary>
/// The in-process queue between a request and the log writer: bounded, and a full buffer drops the new entry
/// (counted) rather than wait, so logging never slows or fails a request. What it holds is lost if the
/// instance crashes; a normal shutdown flushes it.
/// </summary>
public sealed class ActivityBuffer
{
    private readonly Channel<ActivityEntry> channel;
    private long droppedFull;
    private long droppedUnwritten;

    public ActivityBuffer(ActivityOptions options)
    {
        channel = Channel.CreateBounded<ActivityEntry>(
            new BoundedChannelOptions(options.BufferCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => Interlocked.Increment(ref droppedFull));
    }

    /// <summary>Never blocks, never throws.</summary>
    public void Add(ActivityEntry entry)
    {
        if (!channel.Writer.TryWrite(entry)) Interlocked.Increment(ref droppedFull);
    }

    public ChannelReader<ActivityEntry> Reader => channel.Reader;

    /// <summary>Entries dropped because the buffer was full.</summary>
    public long DroppedBufferFull => Interlocked.Read(ref droppedFull);

    /// <summary>Entries dropped because storage refused or did not answer their write (never retried).</summary>
    public long DroppedUnwritten => Interlocked.Read(ref droppedUnwritten);

    /// <summary>Every entry this instance dropped since it started.</summary>
    public long Dropped => DroppedBufferFull + DroppedUnwritten;

    public void CountUnwritten(int entries) => Interlocked.Add(ref droppedUnwritten, entries);
}
