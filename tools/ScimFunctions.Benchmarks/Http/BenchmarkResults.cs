namespace ScimFunctions.Benchmarks.Http;

/// <summary>Everything one run of the HTTP benchmark measured; written as JSON and printed as tables.</summary>
public sealed record BenchmarkResults
{
    public required DateTimeOffset Started { get; init; }
    public required MachineInfo Machine { get; init; }
    public required RunSettings Settings { get; init; }
    public List<DirectoryResults> Directories { get; } = [];
    public List<SyncResult> Syncs { get; } = [];
    public List<GroupBuildResult> GroupBuilds { get; } = [];
    public List<GroupReadResult> GroupReads { get; } = [];
    public KeyVaultReadsResult? KeyVaultReads { get; set; }
    public RoleRecomputeResult RoleRecompute { get; set; } = RoleRecomputeResult.NotAvailable("not measured");
    public WebhookResult? Webhooks { get; set; }
    public ColdStartResult? ColdStart { get; set; }

    /// <summary>Set when Ctrl+C or SIGTERM ended the run: the figures are those measured until then.</summary>
    public string? Interrupted { get; set; }
    public MemoryResult? Memory { get; set; }
    public double WallSeconds { get; set; }
}

public sealed record MachineInfo(
    int ProcessorCount,
    long TotalMemoryBytes,
    string OperatingSystem,
    string DotNet,
    string AzuriteVersion,
    string TablesSdkVersion,
    string GitCommit);

public sealed record RunSettings(int Users, bool Quick, int[] Concurrencies, double CellSeconds, int MaxOperationsPerCell, int PageSize, int SequentialSyncUsers, bool ActivityLog = true);

/// <summary>The per-operation figures on one directory of a given size.</summary>
public sealed record DirectoryResults(string Label, int Users, int BigGroupMembers, int Depth)
{
    public List<OperationResult> Operations { get; } = [];

    /// <summary>The startIndex page at depth when the host holds no list positions for the directory.</summary>
    public ColdListResult? ColdIndexList { get; set; }
}

/// <summary>One startIndex page that had to rebuild the list positions (total and page landmarks) first.</summary>
public sealed record ColdListResult(RoundTripProfile Storage, double Milliseconds, double BenchmarkLifetimeSeconds, double AppLifetimeSeconds);

public sealed record OperationResult(
    string Name,
    RoundTripProfile Scim,
    int RawRoundTrips,
    List<CellResult> Cells);

/// <summary>Storage calls one request made, counted on the wire (see <see cref="StorageCallCounter"/>): table
/// point reads, query pages, transactions and single writes, and queue message sends.</summary>
public sealed record RoundTripProfile(long PointReads, long Queries, long Transactions, long Writes, long RowsRead, long QueueSends = 0)
{
    public static RoundTripProfile From(StorageCounts counts) =>
        new(counts.PointReads, counts.Queries, counts.Transactions, counts.Writes, counts.RowsRead, counts.QueueSends);

    public long Total => PointReads + Queries + Transactions + Writes + QueueSends;

    public string Summary => $"{Total} ({string.Join(" ", new[] { (PointReads, "pt"), (Queries, "q"), (Transactions, "tx"), (Writes, "w"), (QueueSends, "qs") }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1}{p.Item2}"))})";
}

public sealed record CellResult(int Concurrency, LoadResult Scim, LoadResult? Raw, string? SkippedBecause = null)
{
    public static CellResult Skipped(int concurrency, string why) =>
        new(concurrency, new LoadResult(concurrency, 0, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN, null), null, why);

    /// <summary>SCIM throughput over the raw storage throughput for the same calls: 1 means SCIM costs nothing beyond storage.</summary>
    public double? Ratio => Raw is { OperationsPerSecond: > 0 } raw ? Scim.OperationsPerSecond / raw.OperationsPerSecond : null;
}

public sealed record SyncResult(string Label, int Users, int Concurrency, double Seconds, double UsersPerSecond, int Errors, long StorageRoundTrips);

public sealed record GroupBuildResult(string Label, int Members, int Patches, int MembersPerPatch, double Seconds, double MembersPerSecond, long StorageRoundTrips);

/// <summary>
/// Reads of groups with their members, the body streamed to a client that keeps none of it: the median time,
/// the host's managed heap at its peak during a read above the heap before it (sampled every 2 ms), and what a
/// read allocates in total (host and client; the Azure SDK's row parsing dominates and grows with members).
/// </summary>
public sealed record GroupReadResult(string Label, long Groups, long Members, long ResponseBytes, int Reads, double MedianMilliseconds,
    long PeakHeapAboveBaselineBytes, long AllocatedBytesPerRead, long StorageRoundTripsPerRead);

public sealed record KeyVaultReadsResult(int Requests, int Tokens, long StoreReads, double ReadsPer10000Requests, double CacheLifetimeSeconds, int Errors);

/// <summary>
/// Role recompute over HTTP and the real queue trigger: latency from a membership PATCH to the role being
/// readable, and a mapping change on a group of <see cref="MappedGroupMembers"/> members.
/// </summary>
public sealed record RoleRecomputeResult(bool Available, string Note)
{
    public static RoleRecomputeResult NotAvailable(string why) => new(false, why);

    public int LatencySamples { get; init; }
    public int LatencyTimeouts { get; init; }
    public double LatencyP50Ms { get; init; } = double.NaN;
    public double LatencyP95Ms { get; init; } = double.NaN;
    public double LatencyMaxMs { get; init; } = double.NaN;
    public int MappedGroupMembers { get; init; }
    public int UsersHoldingRole { get; init; }
    public bool MappingChangeCompleted { get; init; }
    public double MappingChangeSeconds { get; init; } = double.NaN;
    public double UsersPerSecond { get; init; } = double.NaN;

    /// <summary>Round trips of the queue-triggered recompute only (the host that runs it serves no HTTP).</summary>
    public RoundTripProfile? RecomputeStorage { get; init; }
    public double RoundTripsPerRecomputedUser { get; init; } = double.NaN;
    public double RowsReadPerRecomputedUser { get; init; } = double.NaN;
}

public sealed record MemoryResult(long HostProcessPeakWorkingSetBytes, long HostProcessPeakManagedHeapBytes, long? AzuritePeakResidentBytes, string Note);

/// <summary>
/// Webhooks through the real queue trigger (a second host delivering to a loopback receiver): commit → received
/// latency at a steady rate, events/s one endpoint drains from a backlog, and SCIM create throughput with three
/// endpoints subscribed vs none.
/// </summary>
public sealed record WebhookResult(string Note)
{
    public double SettleWindowSeconds { get; init; }
    public int LatencySamples { get; init; }
    public int LatencyTimeouts { get; init; }
    public double RatePerSecond { get; init; }
    public double LatencyP50Ms { get; init; } = double.NaN;
    public double LatencyP95Ms { get; init; } = double.NaN;
    public double LatencyMaxMs { get; init; } = double.NaN;
    public int BacklogEvents { get; init; }
    public bool BacklogCompleted { get; init; }
    public double BacklogSeconds { get; init; } = double.NaN;
    public double EventsPerSecond { get; init; } = double.NaN;
    public LoadResult? CreatesWithoutEndpoints { get; init; }
    public LoadResult? CreatesWithThreeEndpoints { get; init; }
    public RoundTripProfile? DeliveryStorage { get; init; }
}
