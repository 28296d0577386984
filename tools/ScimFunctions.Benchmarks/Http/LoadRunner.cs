using System.Diagnostics;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>How long one measured cell (one operation at one concurrency) may run: bounded in count and time.</summary>
public sealed record CellBudget(TimeSpan Duration, int MinOperations, int MaxOperations);

public sealed record LoadResult(
    int Concurrency,
    int Operations,
    int Errors,
    double WallSeconds,
    double OperationsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    string? FirstError,
    long AllocatedBytes = 0)
{
    /// <summary>Bytes allocated in this process during the cell per completed operation: the host and the load
    /// client run in one process, so this is both sides of a request (and any background work that ran then).</summary>
    public double AllocatedBytesPerOperation => Operations == 0 ? double.NaN : (double)AllocatedBytes / Operations;
}

/// <summary>
/// Closed-loop load: <c>c</c> workers each run the operation back to back until the cell's time is up (or its
/// operation cap is reached). Latency is per operation; throughput is completed operations over wall time.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(Func<CancellationToken, Task> operation, int concurrency, CellBudget budget, CancellationToken ct)
    {
        var latencies = new List<double>[concurrency];
        var started = 0;
        var errors = 0;
        string? firstError = null;
        // Imprecise (it leaves out what the threads' allocation contexts hold, a few KB each): cheap, and small
        // beside a cell's operations of tens of KB each.
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var wall = Stopwatch.StartNew();

        async Task Worker(int worker)
        {
            var mine = latencies[worker] = [];
            while (true)
            {
                var number = Interlocked.Increment(ref started);
                if (number > budget.MaxOperations || (number > budget.MinOperations && wall.Elapsed >= budget.Duration)) return;
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    await operation(ct);
                    mine.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w), ct)));
        wall.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var seconds = wall.Elapsed.TotalSeconds;
        return new LoadResult(concurrency, all.Length, errors, seconds, all.Length / seconds,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), firstError, allocated);
    }

    /// <summary>Nearest-rank percentile of sorted values; NaN when there are none.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
