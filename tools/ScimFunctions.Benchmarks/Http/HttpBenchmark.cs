using System.Diagnostics;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Activity;
using ScimFunctions.LocalHost;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Benchmarks.Http;

public sealed record HttpBenchmarkOptions
{
    public required string StorageConnectionString { get; init; }
    public int Users { get; init; } = 100_000;
    public bool Quick { get; init; }
    public string OutputDirectory { get; init; } = "benchmark-results";
    public int SequentialSyncUsers { get; init; } = 10_000;

    /// <summary>Whether the per-directory request log runs (<c>--activity-log off</c> to compare without it).</summary>
    public bool ActivityLog { get; init; } = true;

    /// <summary>Starts of each published local host in the cold start section (<c>--cold-starts</c>; 0 skips it).</summary>
    public int ColdStarts { get; init; } = 5;

    /// <summary>Only the group reads with members and the directories they need (<c>--group-reads-only</c>):
    /// the full size's group read without the hour of the other sections.</summary>
    public bool GroupReadsOnly { get; init; }
    public int[] Concurrencies => Quick ? [1, 8] : [1, 8, 32];
    public const int PageSize = 100;
    public const int SmallDirectoryUsers = 1_000;

    /// <summary>Rows per directory the raw replay's deletes take from its reserve (<see cref="RawReplayReserve"/>):
    /// about what a full run's delete-bearing cells use, 2.5 s at three concurrencies.</summary>
    public const int ReserveDeletes = 6_000;

    public const int QuickReserveDeletes = 200;
    public const int TargetDepth = 10_000;

    /// <summary>A cell is skipped when c × (p50 at concurrency 1) exceeds this many cell budgets.</summary>
    public const double SlowCellFactor = 8;

    public CellBudget Budget => Quick
        ? new CellBudget(TimeSpan.FromSeconds(0.25), 0, 40)
        : new CellBudget(TimeSpan.FromSeconds(2.5), 0, 4_000);
}

/// <summary>
/// The <c>http</c> family: runs the app in-process on Kestrel (the local host) against Azurite and drives real
/// SCIM traffic over loopback. Per operation it counts storage round trips, measures latency and throughput
/// at each concurrency, and replays the same storage calls directly (<see cref="RawReplay"/>) for the ratio;
/// then the scale figures, Key Vault reads, and memory.
/// </summary>
public sealed class HttpBenchmark : IAsyncDisposable
{
    private readonly HttpBenchmarkOptions _options;
    private readonly StorageCallCounter _scimCalls = new();
    private readonly StorageCallCounter _rawCalls = new();
    private readonly StorageCallCounter _recomputeCalls = new();
    private readonly StorageCallCounter _webhookCalls = new();
    private readonly TableServiceClient _rawTables;
    private readonly QueueServiceClient _rawQueues;
    private readonly RawReplayReserve _rawReserve = new();
    private readonly string _functionKey = "benchmark-" + Guid.NewGuid().ToString("N");
    private readonly string _runTag = DateTime.UtcNow.ToString("HHmmss");
    private readonly ManagedHeapSampler _heapSampler = new(TimeSpan.FromMilliseconds(250));
    private CountingTokenHashStore? _tokenStore;
    private WebApplication? _app;
    private WebApplication? _recomputeApp;
    private WebApplication? _webhookApp;
    private Uri? _hostBase;
    private ScimAuthOptions? _authOptions;

    /// <summary>
    /// The app's storage options, except that list positions are kept for 10 minutes so that no measured cell
    /// straddles their rebuild (at the app default, a cell at 100,000 users could hold a multi-second scan);
    /// <see cref="MeasureColdIndexListAsync"/> reports what a rebuild costs.
    /// </summary>
    private static readonly ScimStorageOptions StorageOptions = new() { ListPositionsLifetime = TimeSpan.FromMinutes(10) };

    private static readonly TimeSpan AppDefaultListPositionsLifetime = new ScimStorageOptions().ListPositionsLifetime;

    private HttpBenchmark(HttpBenchmarkOptions options)
    {
        _options = options;
        var rawOptions = new TableClientOptions();
        rawOptions.AddPolicy(_rawCalls, HttpPipelinePosition.PerRetry);
        _rawTables = new TableServiceClient(options.StorageConnectionString, rawOptions);
        var rawQueueOptions = new QueueClientOptions { MessageEncoding = StorageClients.MessageEncoding };
        rawQueueOptions.AddPolicy(_rawCalls.QueuePolicy, HttpPipelinePosition.PerRetry);
        _rawQueues = new QueueServiceClient(options.StorageConnectionString, rawQueueOptions);
    }

    public static async Task<int> RunAsync(HttpBenchmarkOptions options, CancellationToken ct)
    {
        var benchmark = new HttpBenchmark(options);
        var results = benchmark.NewResults();
        try
        {
            await benchmark.MeasureAsync(results, ct);
        }
        catch (Exception stopped) when (ct.IsCancellationRequested && stopped is OperationCanceledException or HttpRequestException or ScimCallFailedException)
        {
            results.Interrupted = "stopped by a signal (Ctrl+C or SIGTERM); the figures are those measured until then";
            Log("Stopping: the hosts are shut down and what was measured so far is printed.");
        }
        finally
        {
            await benchmark.DisposeAsync();
        }
        Console.WriteLine();
        Console.WriteLine(ResultsReport.Markdown(results));
        var path = ResultsReport.WriteJson(results, options.OutputDirectory);
        Console.WriteLine($"JSON: {path}");
        var failed = results.Directories.SelectMany(d => d.Operations).SelectMany(o => o.Cells)
            .Any(c => c.SkippedBecause is null && (c.Scim.Operations == 0 || c.Raw is { Operations: 0 }))
            || results.Syncs.Any(s => s.Errors > 0)
            || (options.ColdStarts > 0 && results.ColdStart?.Complete(options.ColdStarts) != true)
            || results.RoleRecompute is { Available: true, MappingChangeCompleted: false } or { Available: true, LatencyTimeouts: > 0 };
        return results.Interrupted is not null ? 130 : failed ? 1 : 0;
    }

    private BenchmarkResults NewResults() => new()
    {
        Started = DateTimeOffset.UtcNow,
        Machine = MachineDescription.Collect(),
        Settings = new RunSettings(_options.Users, _options.Quick, _options.Concurrencies, _options.Budget.Duration.TotalSeconds,
            _options.Budget.MaxOperations, HttpBenchmarkOptions.PageSize, Math.Min(_options.SequentialSyncUsers, _options.Users), _options.ActivityLog),
    };

    private async Task MeasureAsync(BenchmarkResults results, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        using var _ = ct.Register(() => results.WallSeconds = wall.Elapsed.TotalSeconds);
        await StartHostAsync();
        using var client = new ScimHttpClient(_hostBase!, _options.Concurrencies.Max());

        if (_options.GroupReadsOnly)
        {
            await MeasureGroupReadsAsync(results, client, ct);
            results.WallSeconds = wall.Elapsed.TotalSeconds;
            return;
        }

        // First, while Azurite's table is nearly empty: its queries scan the whole table, and a first request
        // that lists users would otherwise time Azurite's scan of the later directories.
        if (_options.ColdStarts > 0) results.ColdStart = await MeasureColdStartAsync(client, ct);

        // 1,000 users: the per-operation cost to compare with the full size.
        var small = await PrepareSmallDirectoryAsync(client, results, ct);
        results.Directories.Add(await MeasureOperationsAsync(client, small, _options.Quick ? [1] : [1, 8], ct));
        results.GroupReads.Add(await MeasureGroupPageAsync(client, small, ct));

        // Role recompute before the full-size directory: Azurite's writes and scans slow with the rows its table
        // holds, and a 100,000-user directory would otherwise dominate this section's timings.
        results.RoleRecompute = await MeasureRoleRecomputeAsync(client, ct);
        results.Webhooks = await MeasureWebhooksAsync(client, ct);

        // The full size: initial sync sequentially (a separate directory) and at concurrency 8.
        var sequentialUsers = Math.Min(_options.SequentialSyncUsers, _options.Users);
        var sequential = await client.CreateDirectoryAsync(_functionKey, $"bench-{_runTag}-sequential", ct);
        client.UseDirectory(sequential.ScimBaseUrl, sequential.Token);
        results.Syncs.Add((await SyncAsync(client, "initial sync, sequential", $"s{_runTag}", sequentialUsers, 1, ct)).Result);

        var large = await PrepareDirectoryAsync(client, $"bench-{_runTag}-large", $"b{_runTag}", _options.Users, results, ct);
        results.Directories.Add(await MeasureOperationsAsync(client, large, _options.Concurrencies, ct));

        results.GroupReads.Add(await MeasureBigGroupReadAsync(client, large, ct));

        results.KeyVaultReads = await MeasureTokenStoreReadsAsync(client, large, ct);
        results.Memory = MemoryFigures();
        results.WallSeconds = wall.Elapsed.TotalSeconds;
    }

    /// <summary>The two group reads of a full run, each on the directory a full run reads it from (the 1,000-user
    /// one and the full-size one, each with its group of every user), and the memory figures; nothing else is
    /// measured or written, so Azurite's table holds only those two directories.</summary>
    private async Task MeasureGroupReadsAsync(BenchmarkResults results, ScimHttpClient client, CancellationToken ct)
    {
        var small = await PrepareSmallDirectoryAsync(client, results, ct);
        results.GroupReads.Add(await MeasureGroupPageAsync(client, small, ct));
        var large = await PrepareDirectoryAsync(client, $"bench-{_runTag}-large", $"b{_runTag}", _options.Users, results, ct);
        results.GroupReads.Add(await MeasureBigGroupReadAsync(client, large, ct));
        results.Memory = MemoryFigures();
    }

    /// <summary>The 1,000-user directory: the per-operation cost to compare with the full size, and the page of groups.</summary>
    private Task<PreparedDirectory> PrepareSmallDirectoryAsync(ScimHttpClient client, BenchmarkResults results, CancellationToken ct) =>
        PrepareDirectoryAsync(client, $"bench-{_runTag}-small", $"a{_runTag}", Math.Min(HttpBenchmarkOptions.SmallDirectoryUsers, _options.Users), results, ct);

    /// <summary>The GET of the directory's group of every user.</summary>
    private Task<GroupReadResult> MeasureBigGroupReadAsync(ScimHttpClient client, PreparedDirectory directory, CancellationToken ct)
    {
        client.UseDirectory(directory.ScimBaseUrl, directory.Token);
        return MeasureGroupReadAsync(client, $"GET of a {directory.Users.Count:N0}-member group", $"/Groups/{directory.BigGroupId}", ct);
    }

    private async Task StartHostAsync()
    {
        _app = BuildHost(runQueueListeners: false, _scimCalls, countTokenReads: true);
        await _app.StartAsync();
        _hostBase = _app.BaseAddress();
        _authOptions = _app.Services.GetRequiredService<ScimAuthOptions>();
        _ = _app.Services.GetRequiredService<ITokenHashStore>();
        Log($"local host on {_hostBase}");
    }

    /// <summary>A directory of one user, made through the in-process host, which the published hosts' first
    /// requests read (an identity provider's first call on a cold instance finds its directory already there).</summary>
    private async Task<ColdStartResult> MeasureColdStartAsync(ScimHttpClient client, CancellationToken ct)
    {
        var created = await client.CreateDirectoryAsync(_functionKey, $"bench-{_runTag}-cold", ct);
        client.UseDirectory(created.ScimBaseUrl, created.Token);
        await client.CreateUserAsync($"cold-{_runTag}@bench.example", ct);
        return await ColdStartBenchmark.MeasureAsync(_options.StorageConnectionString, client.BasePath, created.Token, _options.ColdStarts, Log, ct);
    }

    /// <summary>
    /// The app built by the local host on the benchmark's storage, with <paramref name="tableCalls"/> on its
    /// TableServiceClient. The main host runs without queue listeners so the per-operation figures carry no
    /// background recompute; the role section adds a second host that runs only the queue trigger.
    /// </summary>
    private WebApplication BuildHost(bool runQueueListeners, StorageCallCounter tableCalls, bool countTokenReads)
    {
        var options = new LocalHostOptions
        {
            Port = 0,
            LoadSettingsFile = false,
            FunctionKey = _functionKey,
            RunQueueListeners = runQueueListeners,
            RunTimers = false,
        };
        options.Settings["AzureWebJobsStorage"] = _options.StorageConnectionString;
        options.Settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        // Expected conflicts (two delivery runs racing for a lease, a status row written by two flushes) are not news.
        options.Settings["Logging:LogLevel:Azure.Core"] = "Error";
        options.ConfigureServices = services =>
        {
            services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, BenchmarkHostLifetime>();
            services.AddSingleton(StorageOptions);
            if (!_options.ActivityLog)
            {
                // Without the capture the edge records nothing, so the writer has nothing to flush.
                services.RemoveAll<ActivityCapture>();
            }
            if (countTokenReads)
            {
                // The main host's queue client counts its message sends (the role recompute prompts) as round trips.
                services.AddSingleton(_ =>
                {
                    var queueOptions = new QueueClientOptions { MessageEncoding = StorageClients.MessageEncoding };
                    queueOptions.Retry.MaxRetries = 3;
                    queueOptions.AddPolicy(tableCalls.QueuePolicy, HttpPipelinePosition.PerRetry);
                    return new QueueServiceClient(_options.StorageConnectionString, queueOptions);
                });
            }
            // The app's storage client, with the counter on its pipeline (retries as the app configures them).
            services.AddSingleton(_ =>
            {
                var tableOptions = new TableClientOptions();
                tableOptions.Retry.MaxRetries = 3;
                tableOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
                tableOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
                tableOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
                tableOptions.AddPolicy(tableCalls, HttpPipelinePosition.PerRetry);
                return new TableServiceClient(_options.StorageConnectionString, tableOptions);
            });
            // Key Vault stand-in on its own uncounted client: its reads are counted as vault reads, not table calls.
            services.AddSingleton<ITokenHashStore>(sp =>
            {
                var auth = sp.GetRequiredService<ScimAuthOptions>();
                var store = new DevelopmentTokenHashStore(
                    new EnsuredTable(new TableServiceClient(_options.StorageConnectionString), auth.DevelopmentTokenHashesTableName));
                if (!countTokenReads) return store;
                _tokenStore = new CountingTokenHashStore(store);
                return _tokenStore;
            });
        };
        return LocalFunctionsHost.Build(options);
    }

    /// <summary>A directory with <paramref name="users"/> users (synced at concurrency 8), one group holding all
    /// of them (PATCHes of 100), and the groups the membership operations write to.</summary>
    private async Task<PreparedDirectory> PrepareDirectoryAsync(ScimHttpClient client, string name, string userPrefix, int users, BenchmarkResults results, CancellationToken ct)
    {
        var created = await client.CreateDirectoryAsync(_functionKey, name, ct);
        client.UseDirectory(created.ScimBaseUrl, created.Token);
        var label = $"{users:N0} users";
        var (sync, pool) = await SyncAsync(client, $"initial sync of {label} ({name})", userPrefix, users, 8, ct);
        results.Syncs.Add(sync);
        if (sync.Errors > 0) throw new InvalidOperationException($"The initial sync of {name} had {sync.Errors} errors.");

        var bigGroupId = await client.CreateGroupAsync("all-users", ct);
        var before = _scimCalls.Snapshot();
        var build = Stopwatch.StartNew();
        var patches = 0;
        foreach (var chunk in pool.Chunk(100))
        {
            await client.AddMembersAsync(bigGroupId, chunk.Select(u => u.Id), ct);
            patches++;
        }
        build.Stop();
        results.GroupBuilds.Add(new GroupBuildResult($"group of {label} by PATCHes of 100", pool.Count, patches, 100,
            build.Elapsed.TotalSeconds, pool.Count / build.Elapsed.TotalSeconds, (_scimCalls.Snapshot() - before).RoundTrips));
        Log($"{name}: group of {pool.Count} members in {build.Elapsed.TotalSeconds:F1} s");
        // Among the rows the SCIM requests update and delete (the users' and the big group's), not after them.
        await _rawReserve.WriteAsync(_rawTables, StorageOptions.TableName, PartitionLayout.Partition(created.DirectoryId),
            _options.Quick ? HttpBenchmarkOptions.QuickReserveDeletes : HttpBenchmarkOptions.ReserveDeletes, ct);

        var depth = Math.Min(HttpBenchmarkOptions.TargetDepth, users / 2 / HttpBenchmarkOptions.PageSize * HttpBenchmarkOptions.PageSize);
        var cursor = "";
        for (var walked = 0; walked < depth; walked += HttpBenchmarkOptions.PageSize)
        {
            cursor = (await client.ListUsersByCursorAsync(cursor, HttpBenchmarkOptions.PageSize, ct)).NextCursor
                ?? throw new InvalidOperationException("The cursor walk ended early.");
        }
        return new PreparedDirectory(label, created.DirectoryId, created.ScimBaseUrl, created.Token, pool, bigGroupId, depth, cursor);
    }

    /// <summary>A page of groups that each hold every user of the directory (1,000 in a full run): the default
    /// list, members included, which the member budget per page bounds.</summary>
    private async Task<GroupReadResult> MeasureGroupPageAsync(ScimHttpClient client, PreparedDirectory directory, CancellationToken ct)
    {
        client.UseDirectory(directory.ScimBaseUrl, directory.Token);
        var groups = _options.Quick ? 3 : 10;
        for (var g = 0; g < groups; g++)
        {
            var id = await client.CreateGroupAsync($"page-{_runTag}-{g}", ct);
            foreach (var chunk in directory.Users.Chunk(100)) await client.AddMembersAsync(id, chunk.Select(u => u.Id), ct);
        }
        var filter = Uri.EscapeDataString($"displayName sw \"page-{_runTag}-\"");
        return await MeasureGroupReadAsync(client, $"page of {groups} groups of {directory.Users.Count:N0} members (GET /Groups, displayName sw)",
            $"/Groups?filter={filter}&count=100", ct);
    }

    /// <summary>Reads <paramref name="path"/> a few times, sampling the managed heap while each read runs.</summary>
    private async Task<GroupReadResult> MeasureGroupReadAsync(ScimHttpClient client, string label, string path, CancellationToken ct)
    {
        await client.ReadDiscardingAsync(path, ct); // warm: connections, JIT, list positions
        var reads = _options.Quick ? 2 : 5;
        var times = new List<double>();
        long peakAbove = 0, allocated = 0, roundTrips = 0;
        StreamedRead? last = null;
        for (var i = 0; i < reads; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var baseline = GC.GetTotalMemory(false);
            var allocatedBefore = GC.GetTotalAllocatedBytes(false);
            var callsBefore = _scimCalls.Snapshot();
            using var sampler = new ManagedHeapSampler(TimeSpan.FromMilliseconds(2));
            var watch = Stopwatch.StartNew();
            last = await client.ReadDiscardingAsync(path, ct);
            watch.Stop();
            times.Add(watch.Elapsed.TotalMilliseconds);
            peakAbove = Math.Max(peakAbove, sampler.PeakBytes - baseline);
            allocated += GC.GetTotalAllocatedBytes(false) - allocatedBefore;
            roundTrips += (_scimCalls.Snapshot() - callsBefore).RoundTrips;
        }
        times.Sort();
        Log($"{label}: {last!.Members:N0} members, {Percentile(times, 0.5):F0} ms, peak heap +{peakAbove / 1024 / 1024} MiB");
        return new GroupReadResult(label, last.DisplayNames, last.Members, last.Bytes, reads, Percentile(times, 0.5),
            peakAbove, allocated / reads, roundTrips / reads);
    }

    /// <summary>A OneLogin-style initial sync: for each user, a userName filter, then a POST.</summary>
    private async Task<(SyncResult Result, List<SyncedUser> Users)> SyncAsync(ScimHttpClient client, string label, string prefix, int users, int concurrency, CancellationToken ct)
    {
        var synced = new SyncedUser[users];
        var next = -1;
        var errors = 0;
        var before = _scimCalls.Snapshot();
        var clock = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < users; i = Interlocked.Increment(ref next))
            {
                var userName = $"{prefix}-{i:D7}@bench.example";
                try
                {
                    var id = await client.FindUserIdAsync(userName, ct) ?? await client.CreateUserAsync(userName, ct);
                    synced[i] = new SyncedUser(id, userName);
                }
                catch (ScimCallFailedException ex)
                {
                    if (Interlocked.Increment(ref errors) == 1) Log(ex.Message);
                }
                if (i % 10_000 == 9_999) Log($"{label}: {i + 1:N0} users, {progress.Elapsed.TotalSeconds:F0} s");
            }
        }, ct)));
        clock.Stop();
        var result = new SyncResult(label, users, concurrency, clock.Elapsed.TotalSeconds, users / clock.Elapsed.TotalSeconds, errors,
            (_scimCalls.Snapshot() - before).RoundTrips);
        Log($"{label}: {users:N0} users at concurrency {concurrency} in {result.Seconds:F1} s ({result.UsersPerSecond:F0}/s)");
        return (result, synced.Where(u => u is not null).ToList());
    }

    private async Task<DirectoryResults> MeasureOperationsAsync(ScimHttpClient client, PreparedDirectory directory, int[] concurrencies, CancellationToken ct)
    {
        client.UseDirectory(directory.ScimBaseUrl, directory.Token);
        var results = new DirectoryResults(directory.Label, directory.Users.Count, directory.Users.Count, directory.Depth);
        foreach (var operation in await OperationsAsync(client, directory, ct))
        {
            results.Operations.Add(await MeasureOperationAsync(operation, concurrencies, ct));
        }
        results.ColdIndexList = await MeasureColdIndexListAsync(client, directory, ct);
        return results;
    }

    /// <summary>
    /// The startIndex page at depth on an instance that holds no list positions for the directory: a create
    /// on this host drops them, so the next index page pays the key-only scan that rebuilds them.
    /// </summary>
    private async Task<ColdListResult> MeasureColdIndexListAsync(ScimHttpClient client, PreparedDirectory directory, CancellationToken ct)
    {
        await client.CreateUserAsync($"cold-{directory.DirectoryId[..8]}@bench.example", ct);
        var before = _scimCalls.Snapshot();
        var clock = Stopwatch.StartNew();
        await client.ListUsersByIndexAsync(directory.Depth + 1, HttpBenchmarkOptions.PageSize, ct);
        clock.Stop();
        var counted = _scimCalls.Snapshot() - before;
        var profile = RoundTripProfile.From(counted);
        Log($"startIndex page without list positions: {profile.Summary} round trips, {profile.RowsRead} rows, {clock.Elapsed.TotalMilliseconds:F0} ms");
        return new ColdListResult(profile, clock.Elapsed.TotalMilliseconds, StorageOptions.ListPositionsLifetime.TotalSeconds, AppDefaultListPositionsLifetime.TotalSeconds);
    }

    private async Task<OperationResult> MeasureOperationAsync(BenchmarkOperation operation, int[] concurrencies, CancellationToken ct)
    {
        await operation.Run(ct); // warm: JIT, connection, auth cache

        var before = _scimCalls.Snapshot();
        _scimCalls.StartRecording();
        await operation.Run(ct);
        var calls = _scimCalls.StopRecording();
        var counted = _scimCalls.Snapshot() - before;
        var profile = RoundTripProfile.From(counted);

        if (Environment.GetEnvironmentVariable("BENCH_TRACE") == "1")
        {
            foreach (var call in calls) Log($"  {operation.Name}: {call.Kind} {call.RequestPath}{call.RequestQuery} [{string.Join(",", call.TransactionVerbs)}] {call.RequestBytes} B, {call.RowsReturned} rows");
        }
        var replay = RawReplay.From(calls, _rawTables, _rawQueues, _rawReserve);
        await replay.PrepareAsync(1, ct);
        var rawBefore = _rawCalls.Snapshot();
        await replay.RunAsync(ct);
        var rawRoundTrips = (_rawCalls.Snapshot() - rawBefore).RoundTrips;

        var cells = new List<CellResult>();
        foreach (var concurrency in concurrencies)
        {
            // Azurite serialises scans: c requests that each take seconds alone take c times as long together,
            // so a cell that would run far past its budget is left out (and said so) rather than run for minutes.
            if (cells.Count > 0 && cells[0].Scim.P50Ms / 1000 * concurrency > _options.Budget.Duration.TotalSeconds * HttpBenchmarkOptions.SlowCellFactor)
            {
                cells.Add(CellResult.Skipped(concurrency, $"skipped: one request takes {cells[0].Scim.P50Ms / 1000:F1} s at concurrency 1"));
                continue;
            }
            var scim = await LoadRunner.RunAsync(operation.Run, concurrency, _options.Budget, ct);
            await replay.PrepareAsync(_options.Budget.MaxOperations, ct);
            var raw = await LoadRunner.RunAsync(replay.RunAsync, concurrency, _options.Budget, ct);
            cells.Add(new CellResult(concurrency, scim, raw));
            if (scim.FirstError is not null) Log($"  {operation.Name} c={concurrency}: {scim.Errors} errors, first: {scim.FirstError}");
            if (raw.FirstError is not null) Log($"  raw {operation.Name} c={concurrency}: {raw.Errors} errors, first: {raw.FirstError}");
        }
        Log($"{operation.Name}: {profile.Summary} round trips, {profile.RowsRead} rows; " +
            string.Join(", ", cells.Select(c => c.SkippedBecause ?? $"c={c.Concurrency} {c.Scim.OperationsPerSecond:F0}/s ratio {c.Ratio:F2}")));
        return new OperationResult(operation.Name, profile, (int)rawRoundTrips, cells);
    }

    private async Task<IReadOnlyList<BenchmarkOperation>> OperationsAsync(ScimHttpClient client, PreparedDirectory directory, CancellationToken ct)
    {
        var users = directory.Users;
        const int GroupsPerMembershipOperation = 64;
        var addOneGroups = new List<string>();
        var addHundredGroups = new List<string>();
        for (var i = 0; i < GroupsPerMembershipOperation; i++)
        {
            addOneGroups.Add(await client.CreateGroupAsync($"add-one-{i}", ct));
            addHundredGroups.Add(await client.CreateGroupAsync($"add-hundred-{i}", ct));
        }

        var counter = 0L;
        int Next() => (int)Interlocked.Increment(ref counter);
        SyncedUser AnyUser(int n) => users[n % users.Count];
        var tag = directory.DirectoryId[..8];
        var removals = -1;
        var depth = directory.Depth;
        var size = directory.Users.Count;

        return
        [
            new("create user", t => client.CreateUserAsync($"new-{tag}-{Next()}@bench.example", t)),
            new("get user by id", t => client.GetUserAsync(AnyUser(Next()).Id, t)),
            new("filter userName eq", async t =>
            {
                if (await client.FindUserIdAsync(AnyUser(Next()).UserName, t) is null) throw new InvalidOperationException("The filter found no user.");
            }),
            new("replace user (PUT)", t => { var n = Next(); var user = AnyUser(n); return client.ReplaceUserAsync(user.Id, user.UserName, $"Title {n}", t); }),
            new("patch user (replace title, active)", t => { var n = Next(); return client.PatchUserAsync(AnyUser(n).Id, $"Title {n}", t); }),
            new("create group", t => client.CreateGroupAsync($"group-{tag}-{Next()}", t)),
            new("group: add 1 member", t =>
            {
                var n = Next();
                return client.AddMembersAsync(addOneGroups[n % GroupsPerMembershipOperation], [AnyUser(n / GroupsPerMembershipOperation).Id], t);
            }),
            new("group: add 100 members", t =>
            {
                var n = Next();
                var first = n / GroupsPerMembershipOperation * 100;
                return client.AddMembersAsync(addHundredGroups[n % GroupsPerMembershipOperation], Enumerable.Range(first, 100).Select(i => AnyUser(i).Id), t);
            }),
            new($"group of {size:N0}: remove 1 member", t => client.RemoveMemberAsync(directory.BigGroupId, AnyUser(Interlocked.Increment(ref removals)).Id, t)),
            new($"group of {size:N0}: GET excludedAttributes=members", t => client.GetGroupWithoutMembersAsync(directory.BigGroupId, t)),
            new("list page 1 (100)", t => client.ListUsersByIndexAsync(1, HttpBenchmarkOptions.PageSize, t)),
            new($"list at depth {depth:N0} by startIndex", t => client.ListUsersByIndexAsync(depth + 1, HttpBenchmarkOptions.PageSize, t)),
            new($"list at depth {depth:N0} by cursor", t => client.ListUsersByCursorAsync(directory.DepthCursor, HttpBenchmarkOptions.PageSize, t)),
        ];
    }

    /// <summary>Authenticated requests on fresh tokens (cold cache): how many reach the vault.</summary>
    private async Task<KeyVaultReadsResult> MeasureTokenStoreReadsAsync(ScimHttpClient mainClient, PreparedDirectory directory, CancellationToken ct)
    {
        // A directory holds at most two active tokens and the benchmark's own is one of them.
        const int Tokens = 1;
        var requests = _options.Quick ? 500 : 10_000;
        var clients = new List<ScimHttpClient>();
        for (var i = 0; i < Tokens; i++)
        {
            var (token, baseUrl) = await mainClient.CreateTokenAsync(_functionKey, directory.DirectoryId, $"vault-reads-{i}", ct);
            var client = new ScimHttpClient(_hostBase!, 8);
            client.UseDirectory(baseUrl, token);
            clients.Add(client);
        }
        var readsBefore = _tokenStore!.Finds;
        var counter = -1;
        var load = await LoadRunner.RunAsync(async t =>
        {
            var n = Interlocked.Increment(ref counter);
            // The cheapest authenticated request (one point read), so the section takes seconds at any size.
            await clients[n % Tokens].GetGroupWithoutMembersAsync(directory.BigGroupId, t);
        }, 8, new CellBudget(TimeSpan.FromMinutes(10), requests, requests), ct);
        var reads = _tokenStore.Finds - readsBefore;
        foreach (var client in clients) client.Dispose();
        Log($"token store: {reads} reads for {load.Operations} requests on {Tokens} tokens");
        return new KeyVaultReadsResult(load.Operations, Tokens, reads, load.Operations == 0 ? double.NaN : reads * 10_000.0 / load.Operations,
            _authOptions!.TokenCacheLifetime.TotalSeconds, load.Errors);
    }

    /// <summary>
    /// Role recompute through the real queue trigger, in a directory of its own: a second local host runs the
    /// <c>RecomputeRoles</c> listener (and serves nothing), so its storage counter sees only recompute work,
    /// while the PATCHes, mapping changes and role reads go over HTTP to the main host.
    /// </summary>
    private async Task<RoleRecomputeResult> MeasureRoleRecomputeAsync(ScimHttpClient client, CancellationToken ct)
    {
        var samples = _options.Quick ? 5 : 20;
        var mappedMembers = _options.Quick ? 200 : 10_000;
        var waitBound = _options.Quick ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(25);
        // Each poll is a handful of range queries, which Azurite answers by scanning the whole table: polled
        // often, the measurement would take Azurite's one core from the recompute it measures.
        var pollInterval = TimeSpan.FromMilliseconds(_options.Quick ? 100 : 2000);

        // Messages the earlier sections left (directories without roles) would otherwise queue ahead of these.
        var queues = _app!.Services.GetRequiredService<QueueServiceClient>();
        var recomputeQueue = queues.GetQueueClient(RoleQueues.Recompute);
        await recomputeQueue.CreateIfNotExistsAsync(cancellationToken: ct);
        await recomputeQueue.ClearMessagesAsync(ct);
        _recomputeApp = BuildHost(runQueueListeners: true, _recomputeCalls, countTokenReads: false);
        await _recomputeApp.StartAsync(ct);

        var created = await client.CreateDirectoryAsync(_functionKey, $"bench-{_runTag}-roles", ct);
        client.UseDirectory(created.ScimBaseUrl, created.Token);
        var directoryId = created.DirectoryId;
        var (sync, pool) = await SyncAsync(client, $"role section: sync of {mappedMembers + samples:N0} users", $"r{_runTag}", mappedMembers + samples, 8, ct);
        if (sync.Errors > 0) throw new InvalidOperationException($"The role section's sync had {sync.Errors} errors.");

        const string LatencyRole = "bench-latency";
        const string FanOutRole = "bench-fanout";
        await client.PutRoleAsync(_functionKey, directoryId, LatencyRole, ct);
        await client.PutRoleAsync(_functionKey, directoryId, FanOutRole, ct);
        var latencyGroup = await client.CreateGroupAsync("role-latency", ct);
        await client.MapGroupAsync(_functionKey, directoryId, latencyGroup, LatencyRole, ct);
        var fanOutGroup = await client.CreateGroupAsync("role-fanout", ct);
        foreach (var chunk in pool.Take(mappedMembers).Chunk(100)) await client.AddMembersAsync(fanOutGroup, chunk.Select(u => u.Id), ct);
        await WaitUntilNothingPendingAsync(client, directoryId, waitBound, pollInterval, ct);

        // 1. Membership PATCH → role readable, one user at a time.
        var latencies = new List<double>();
        var timeouts = 0;
        foreach (var user in pool.Skip(mappedMembers).Take(samples))
        {
            var clock = Stopwatch.StartNew();
            await client.AddMembersAsync(latencyGroup, [user.Id], ct);
            var seen = false;
            while (!(seen = await client.UserHasRoleAsync(_functionKey, directoryId, user.Id, LatencyRole, ct)) && clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(20, ct);
            }
            if (seen) latencies.Add(clock.Elapsed.TotalMilliseconds);
            else timeouts++;
        }
        latencies.Sort();
        Log($"role latency: {latencies.Count} samples, p50 {Percentile(latencies, 0.50):F0} ms, p95 {Percentile(latencies, 0.95):F0} ms, {timeouts} timed out");
        await WaitUntilNothingPendingAsync(client, directoryId, waitBound, pollInterval, ct);

        // 2. A mapping change on the whole group: until every member holds the role.
        var before = _recomputeCalls.Snapshot();
        var mapping = Stopwatch.StartNew();
        await client.MapGroupAsync(_functionKey, directoryId, fanOutGroup, FanOutRole, ct);
        var holders = 0;
        while ((holders = await client.CountRoleHoldersAsync(_functionKey, directoryId, FanOutRole, ct)) < mappedMembers && mapping.Elapsed < waitBound)
        {
            await Task.Delay(pollInterval, ct);
        }
        mapping.Stop();
        var completed = holders >= mappedMembers;
        // Trailing work (continuations, the last outbox rows) belongs to this change too.
        await WaitUntilNothingPendingAsync(client, directoryId, waitBound, pollInterval, ct);
        var counted = _recomputeCalls.Snapshot() - before;
        var profile = RoundTripProfile.From(counted);
        Log($"role mapping change: {holders:N0}/{mappedMembers:N0} members hold the role after {mapping.Elapsed.TotalSeconds:F1} s; recompute {profile.Summary} round trips");

        var polling = _recomputeApp.Services.GetRequiredService<HostJsonSettings>().MaxPollingInterval;
        // The later sections measure without background recompute, as before this one.
        await _recomputeApp.StopAsync(ct);
        await _recomputeApp.DisposeAsync();
        _recomputeApp = null;
        return new RoleRecomputeResult(true,
            $"the local host polls the queue, backing off to {polling.TotalSeconds:F0} s (host.json maxPollingInterval) when idle; " +
            $"roles read over HTTP every 20 ms (latency) and {pollInterval.TotalMilliseconds:F0} ms (mapping change); round trips are Table Storage only, queue calls not counted")
        {
            LatencySamples = latencies.Count,
            LatencyTimeouts = timeouts,
            LatencyP50Ms = Percentile(latencies, 0.50),
            LatencyP95Ms = Percentile(latencies, 0.95),
            LatencyMaxMs = latencies.Count == 0 ? double.NaN : latencies[^1],
            MappedGroupMembers = mappedMembers,
            UsersHoldingRole = holders,
            MappingChangeCompleted = completed,
            MappingChangeSeconds = mapping.Elapsed.TotalSeconds,
            UsersPerSecond = holders / mapping.Elapsed.TotalSeconds,
            RecomputeStorage = profile,
            RoundTripsPerRecomputedUser = holders == 0 ? double.NaN : (double)profile.Total / holders,
            RowsReadPerRecomputedUser = holders == 0 ? double.NaN : (double)profile.RowsRead / holders,
        };
    }

    /// <summary>
    /// Webhooks through the real queue trigger: a second local host runs the <c>DeliverWebhooks</c> listener (and
    /// serves nothing), delivering to a receiver on loopback, while the SCIM writes go to the main host. The app's
    /// own delivery settings, settle window included, so the latency is what a deployment sees.
    /// </summary>
    private async Task<WebhookResult> MeasureWebhooksAsync(ScimHttpClient client, CancellationToken ct)
    {
        var samples = _options.Quick ? 10 : 100;
        var rate = _options.Quick ? 5.0 : 10.0;
        var backlog = _options.Quick ? 100 : 2_000;
        var budget = _options.Quick ? new CellBudget(TimeSpan.FromSeconds(2), 0, 400) : new CellBudget(TimeSpan.FromSeconds(10), 0, 5_000);
        var settle = _app!.Services.GetRequiredService<ScimFunctions.Webhooks.WebhookOptions>().SettleWindow;
        var waitBound = settle + TimeSpan.FromSeconds(_options.Quick ? 30 : 120);

        // Prompts the earlier sections left (directories without endpoints) would otherwise queue ahead of these.
        var deliveryQueue = _app.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(ScimFunctions.Webhooks.WebhookQueue.Name);
        await deliveryQueue.CreateIfNotExistsAsync(cancellationToken: ct);
        await deliveryQueue.ClearMessagesAsync(ct);
        _webhookApp = BuildHost(runQueueListeners: true, _webhookCalls, countTokenReads: false);
        await _webhookApp.StartAsync(ct);
        await using var receiver = await WebhookBenchmarkReceiver.StartAsync(ct);

        var created = await client.CreateDirectoryAsync(_functionKey, $"bench-{_runTag}-webhooks", ct);
        client.UseDirectory(created.ScimBaseUrl, created.Token);
        var directoryId = created.DirectoryId;
        var counter = 0;
        string NextUserName(string phase) => $"wh-{phase}-{_runTag}-{Interlocked.Increment(ref counter)}@bench.example";

        // 1. SCIM creates with no endpoint, then with three subscribed to every event of the directory. Each
        // measured loop follows an unmeasured one of a settle window and a second, so the creates measured with
        // endpoints run while the earlier ones are being delivered (a change is delivered a settle window late).
        var warmUp = new CellBudget(settle + TimeSpan.FromSeconds(1), 0, int.MaxValue);
        await LoadRunner.RunAsync(t => client.CreateUserAsync(NextUserName("none"), t), 8, warmUp, ct);
        var none = await LoadRunner.RunAsync(t => client.CreateUserAsync(NextUserName("none"), t), 8, budget, ct);
        var endpoints = new List<string>();
        for (var i = 0; i < 3; i++) endpoints.Add(await client.CreateWebhookAsync(_functionKey, receiver.Url(i), directoryId, ct));
        var callsBeforeThree = _webhookCalls.Snapshot();
        var warmed = await LoadRunner.RunAsync(t => client.CreateUserAsync(NextUserName("three"), t), 8, warmUp, ct);
        var deliveredBefore = receiver.UsersCreated(0);
        var three = await LoadRunner.RunAsync(t => client.CreateUserAsync(NextUserName("three"), t), 8, budget, ct);
        var deliveredDuring = receiver.UsersCreated(0) - deliveredBefore;
        Log($"webhooks: creates at c=8 {none.OperationsPerSecond:F0}/s without endpoints, {three.OperationsPerSecond:F0}/s with three " +
            $"({deliveredDuring} user.created arrived at endpoint 0 during the measured loop)");
        var drained = Stopwatch.StartNew();
        var threeCreates = warmed.Operations + three.Operations;
        while (Enumerable.Range(0, 3).Any(i => receiver.UsersCreated(i) < threeCreates) && drained.Elapsed < waitBound) await Task.Delay(100, ct);
        var threeEvents = Enumerable.Range(0, 3).Sum(receiver.Events);
        var threeProfile = RoundTripProfile.From(_webhookCalls.Snapshot() - callsBeforeThree);
        Log($"webhooks: {threeCreates} creates delivered to 3 endpoints ({threeEvents} events) in {drained.Elapsed.TotalSeconds:F1} s after the loops; " +
            $"delivery {threeProfile.Summary} round trips, {(double)threeProfile.Total / Math.Max(1, threeEvents):F2} per event");

        // 2. Commit → received on endpoint 0, creates at a steady rate (the three endpoints all deliver them).
        var commits = new List<(string UserId, long At)>();
        var pace = Stopwatch.StartNew();
        for (var i = 0; i < samples; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due > pace.Elapsed) await Task.Delay(due - pace.Elapsed, ct);
            var userId = await client.CreateUserAsync(NextUserName("latency"), ct);
            commits.Add((userId, Stopwatch.GetTimestamp()));
        }
        var waited = Stopwatch.StartNew();
        while (commits.Any(c => receiver.CreatedArrival(0, c.UserId) is null) && waited.Elapsed < waitBound) await Task.Delay(20, ct);
        var latencies = commits.Select(c => receiver.CreatedArrival(0, c.UserId) is { } arrived ? Stopwatch.GetElapsedTime(c.At, arrived).TotalMilliseconds : (double?)null)
            .OfType<double>().Order().ToList();
        var timeouts = samples - latencies.Count;
        Log($"webhook latency: {latencies.Count} samples, p50 {Percentile(latencies, 0.50):F0} ms, p95 {Percentile(latencies, 0.95):F0} ms, {timeouts} timed out (settle window {settle.TotalSeconds:F1} s)");

        // 3. A backlog of one endpoint: written while it is disabled (the others too), then replayed and drained.
        foreach (var endpoint in endpoints) await client.SetWebhookEnabledAsync(_functionKey, endpoint, false, ct);
        var drainer = await client.CreateWebhookAsync(_functionKey, receiver.Url(3), directoryId, ct);
        await client.SetWebhookEnabledAsync(_functionKey, drainer, false, ct);
        var since = DateTimeOffset.UtcNow;
        var names = Enumerable.Range(0, backlog).Select(_ => NextUserName("backlog")).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < backlog; i = Interlocked.Increment(ref next)) await client.CreateUserAsync(names[i], ct);
        }, ct)));
        await Task.Delay(settle + TimeSpan.FromSeconds(1), ct);
        var before = _webhookCalls.Snapshot();
        var drain = Stopwatch.StartNew();
        await client.SetWebhookEnabledAsync(_functionKey, drainer, true, ct);
        await client.ReplayWebhookAsync(_functionKey, drainer, directoryId, since, ct);
        while (receiver.UsersCreated(3) < backlog && drain.Elapsed < waitBound) await Task.Delay(20, ct);
        drain.Stop();
        var events = receiver.Events(3);
        var profile = RoundTripProfile.From(_webhookCalls.Snapshot() - before);
        var completed = receiver.UsersCreated(3) >= backlog;
        Log($"webhook backlog: {receiver.UsersCreated(3):N0}/{backlog:N0} user.created ({events:N0} events) in {drain.Elapsed.TotalSeconds:F1} s; delivery {profile.Summary} round trips");

        await _webhookApp.StopAsync(ct);
        await _webhookApp.DisposeAsync();
        _webhookApp = null;
        return new WebhookResult(
            "a second local host runs the queue-triggered delivery; receiver on loopback answers 200 at once; latency from the create's response to the event's arrival; " +
            "backlog drained after a replay (time includes the queue's polling); round trips are Table Storage of the delivery host, which also runs the created users' role recompute")
        {
            SettleWindowSeconds = settle.TotalSeconds,
            LatencySamples = latencies.Count,
            LatencyTimeouts = timeouts,
            RatePerSecond = rate,
            LatencyP50Ms = Percentile(latencies, 0.50),
            LatencyP95Ms = Percentile(latencies, 0.95),
            LatencyMaxMs = latencies.Count == 0 ? double.NaN : latencies[^1],
            BacklogEvents = events,
            BacklogCompleted = completed,
            BacklogSeconds = drain.Elapsed.TotalSeconds,
            EventsPerSecond = events / drain.Elapsed.TotalSeconds,
            CreatesWithoutEndpoints = none,
            CreatesWithThreeEndpoints = three,
            DeliveryStorage = profile,
        };
    }

    private async Task WaitUntilNothingPendingAsync(ScimHttpClient client, string directoryId, TimeSpan bound, TimeSpan pollInterval, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long pending;
        while ((pending = await client.PendingRecomputesAsync(_functionKey, directoryId, ct)) > 0 && clock.Elapsed < bound)
        {
            await Task.Delay(pollInterval, ct);
        }
        if (pending > 0) Log($"role section: {pending} recomputes still pending after {bound.TotalSeconds:F0} s");
    }

    /// <summary>Nearest-rank percentile of sorted values; NaN when there are none.</summary>
    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private MemoryResult MemoryFigures()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var azuritePid = Environment.GetEnvironmentVariable("BENCH_AZURITE_PID");
        long? azuritePeak = int.TryParse(azuritePid, out var pid) ? MachineDescription.PeakResidentBytes(pid) : null;
        return new MemoryResult(process.PeakWorkingSet64, _heapSampler.PeakBytes, azuritePeak,
            "The host runs in the benchmark process (with the load client), so the peak working set covers both; Azurite is a separate process.");
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    public async ValueTask DisposeAsync()
    {
        _heapSampler.Dispose();
        if (_webhookApp is not null)
        {
            await _webhookApp.StopAsync();
            await _webhookApp.DisposeAsync();
            _webhookApp = null;
        }
        if (_recomputeApp is not null)
        {
            await _recomputeApp.StopAsync();
            await _recomputeApp.DisposeAsync();
            _recomputeApp = null;
        }
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private sealed record BenchmarkOperation(string Name, Func<CancellationToken, Task> Run);

    private sealed record PreparedDirectory(string Label, string DirectoryId, string ScimBaseUrl, string Token, List<SyncedUser> Users, string BigGroupId, int Depth, string DepthCursor);
}

public sealed record SyncedUser(string Id, string UserName);
