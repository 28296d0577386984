using System.Collections.Concurrent;

namespace ScimFunctions.Caching;

/// <summary>
/// An in-memory cache where concurrent misses for one key share a single load. Successful results live for
/// a lifetime chosen per value; failures are not kept, so the next caller tries again.
/// </summary>
public sealed class CollapsingCache<TKey, TValue>(TimeProvider time, Func<TValue, TimeSpan> lifetimeOf, int capacity)
    where TKey : notnull
{
    private sealed class Slot(Task<TValue> value)
    {
        public Task<TValue> Value { get; } = value;
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;
    }

    private readonly ConcurrentDictionary<TKey, Slot> slots = new();

    public int Count => slots.Count;

    /// <summary>
    /// The cached value, or the result of <paramref name="load"/>. The load runs without the caller's
    /// cancellation, because other callers may be waiting on it; the caller stops waiting when cancelled.
    /// </summary>
    public async Task<TValue> GetAsync(TKey key, Func<TKey, Task<TValue>> load, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (slots.TryGetValue(key, out var existing))
            {
                if (!existing.Value.IsCompleted) return await existing.Value.WaitAsync(cancellationToken);
                if (existing.Value.IsCompletedSuccessfully && existing.ExpiresAt > time.GetUtcNow()) return existing.Value.Result;
                slots.TryRemove(KeyValuePair.Create(key, existing));
                continue;
            }

            var completion = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            var slot = new Slot(completion.Task);
            if (!slots.TryAdd(key, slot)) continue;
            if (slots.Count > capacity) Sweep();
            _ = LoadAsync(key, slot, completion, load);
            return await completion.Task.WaitAsync(cancellationToken);
        }
    }

    public void Invalidate(TKey key) => slots.TryRemove(key, out _);

    private async Task LoadAsync(TKey key, Slot slot, TaskCompletionSource<TValue> completion, Func<TKey, Task<TValue>> load)
    {
        try
        {
            var value = await load(key);
            slot.ExpiresAt = time.GetUtcNow() + lifetimeOf(value);
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
        var now = time.GetUtcNow();
        foreach (var (key, slot) in slots)
        {
            if (slot.Value.IsCompleted && slot.ExpiresAt <= now) slots.TryRemove(KeyValuePair.Create(key, slot));
        }
        // Still full of live entries (a flood of distinct keys): drop the finished ones rather than grow.
        if (slots.Count <= capacity) return;
        foreach (var (key, slot) in slots)
        {
            if (slot.Value.IsCompleted) slots.TryRemove(KeyValuePair.Create(key, slot));
        }
    }
}
