using System.Collections.Concurrent;

namespace ScimFunctions.Caching;

/// <summary>
/// Loads shared by callers for a moment, each tagged with when it began on a logical clock of this cache
/// (<see cref="Mark"/>). A caller names the mark its read must have begun after (taken once it saw the change
/// it wants reflected), so a shared result never predates what the caller knows has happened: a load begun
/// earlier is not used, a new one begins. Concurrent callers share one load; failures are not kept.
/// </summary>
public sealed class BegunAfterCache<TKey, TValue>(TimeProvider time, TimeSpan lifetime, int capacity)
    where TKey : notnull
{
    private sealed class Slot(Task<TValue> value, long begun)
    {
        public Task<TValue> Value { get; } = value;
        public long Begun { get; } = begun;
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;
    }

    private readonly ConcurrentDictionary<TKey, Slot> slots = new();
    private long clock;

    public int Count => slots.Count;

    /// <summary>A point on this cache's clock: loads begun from now on are after it.</summary>
    public long Mark() => Interlocked.Increment(ref clock);

    /// <summary>
    /// The value of a load of <paramref name="key"/> begun after <paramref name="begunAfter"/>, shared or new.
    /// The load runs without the caller's cancellation, because other callers may be waiting on it.
    /// </summary>
    public async Task<TValue> GetAsync(TKey key, long begunAfter, Func<TKey, Task<TValue>> load, CancellationToken cancellationToken)
    {
        while (true)
        {
            slots.TryGetValue(key, out var existing);
            if (existing is not null && existing.Begun > begunAfter && Usable(existing)) return await existing.Value.WaitAsync(cancellationToken);

            // Marked before it is published and before the load starts: a caller that sees this slot knows the
            // read began after its mark.
            var completion = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            var slot = new Slot(completion.Task, Mark());
            var published = existing is null ? slots.TryAdd(key, slot) : slots.TryUpdate(key, slot, existing);
            if (!published) continue;
            if (slots.Count > capacity) Sweep();
            _ = LoadAsync(key, slot, completion, load);
            return await completion.Task.WaitAsync(cancellationToken);
        }
    }

    private bool Usable(Slot slot) => !slot.Value.IsCompleted || (slot.Value.IsCompletedSuccessfully && slot.ExpiresAt > time.GetUtcNow());

    private async Task LoadAsync(TKey key, Slot slot, TaskCompletionSource<TValue> completion, Func<TKey, Task<TValue>> load)
    {
        try
        {
            var value = await load(key);
            slot.ExpiresAt = time.GetUtcNow() + lifetime;
            completion.SetResult(value);
        }
        catch (Exception ex)
        {
            slots.TryRemove(KeyValuePair.Create(key, slot));
            completion.SetException(ex);
        }
    }

    private void Sweep()
    {
        foreach (var (key, slot) in slots)
        {
            if (slot.Value.IsCompleted && !Usable(slot)) slots.TryRemove(KeyValuePair.Create(key, slot));
        }
        // Still full of live entries (a flood of distinct keys): drop the finished ones rather than grow.
        if (slots.Count <= capacity) return;
        foreach (var (key, slot) in slots)
        {
            if (slot.Value.IsCompleted) slots.TryRemove(KeyValuePair.Create(key, slot));
        }
    }
}
