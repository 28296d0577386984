namespace ScimFunctions.Activity;

/// <summary>The request log and connection status: where they are kept, how long, and how the writer batches.
/// Bound from the <c>Activity</c> configuration section (app settings <c>Activity__RetentionDays</c>, …).</summary>
public sealed class ActivityOptions
{
    public const string SectionName = "Activity";

    public string TableName { get; set; } = "ScimActivity";

    /// <summary>Days a logged request is kept; older days are removed by the daily retention timer.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Entries held in memory between flushes; when full, new entries are dropped (and counted).</summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>Longest an entry waits in the buffer before the writer stores it.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most log rows one retention run deletes, so a run stays short and the next one resumes.</summary>
    public int RetentionDeletesPerRun { get; set; } = 20_000;

    /// <summary>A token's last use is written at most this often per token per instance.</summary>
    public TimeSpan TokenLastUsedInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many of the latest requests the connection status judges.</summary>
    public int StatusWindow { get; set; } = 20;

    /// <summary>How far back the connection status looks; older requests no longer count.</summary>
    public TimeSpan StatusWindowAge { get; set; } = TimeSpan.FromHours(1);
}
