using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>The stdout tables (Markdown, so the README can quote them as printed) and the JSON file.</summary>
public static class ResultsReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string WriteJson(BenchmarkResults results, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, results.Started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(results, Json));
        return path;
    }

    public static string Markdown(BenchmarkResults r)
    {
        var m = r.Machine;
        var text = new StringBuilder();
        Line(text, $"SCIM HTTP benchmark, {r.Started.UtcDateTime:yyyy-MM-dd HH:mm} UTC{(r.Settings.Quick ? " (--quick)" : "")}, request log {(r.Settings.ActivityLog ? "on" : "off")}: " +
            $"{m.ProcessorCount} cores, {Gib(m.TotalMemoryBytes)} memory, {m.OperatingSystem}; {m.DotNet}; Azurite {m.AzuriteVersion} (in memory); " +
            $"Azure.Data.Tables {m.TablesSdkVersion}; commit {m.GitCommit}. Wall time {r.WallSeconds:F0} s.");
        Line(text, "");
        ColdStart(text, r.ColdStart);

        foreach (var directory in r.Directories)
        {
            Line(text, $"Per operation, directory of {directory.Users:N0} users (round trips: pt point read, q query page, tx transaction, w single write; " +
                "latency in ms at each concurrency c; ratio = SCIM ops/s ÷ raw storage ops/s for the same calls; " +
                "allocated = managed bytes allocated in the benchmark process during the cell ÷ completed SCIM requests, the host and the load client together):");
            Line(text, "");
            Line(text, "| operation | round trips | rows read | c | p50 | p95 | p99 | SCIM ops/s | raw ops/s | ratio | allocated per request (host + client) |");
            Line(text, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var operation in directory.Operations)
            {
                var first = true;
                foreach (var cell in operation.Cells)
                {
                    var name = first ? operation.Name : "";
                    var trips = first ? operation.Scim.Summary + (operation.RawRoundTrips != operation.Scim.Total ? $" (raw {operation.RawRoundTrips})" : "") : "";
                    var rows = first ? operation.Scim.RowsRead.ToString("N0", CultureInfo.InvariantCulture) : "";
                    if (cell.SkippedBecause is not null)
                    {
                        Line(text, $"| {name} | {trips} | {rows} | {cell.Concurrency} | {cell.SkippedBecause} | | | | | | |");
                        first = false;
                        continue;
                    }
                    var errors = cell.Scim.Errors > 0 ? $" ({cell.Scim.Errors} errors)" : "";
                    Line(text, $"| {name} | {trips} | {rows} | {cell.Concurrency} | {Ms(cell.Scim.P50Ms)} | {Ms(cell.Scim.P95Ms)} | {Ms(cell.Scim.P99Ms)} | " +
                        $"{Rate(cell.Scim.OperationsPerSecond)}{errors} | {(cell.Raw is null ? "" : Rate(cell.Raw.OperationsPerSecond))} | {(cell.Ratio is { } ratio ? ratio.ToString("F2", CultureInfo.InvariantCulture) : "")} | {Bytes(cell.Scim.AllocatedBytesPerOperation)} |");
                    first = false;
                }
            }
            Line(text, "");
            if (directory.ColdIndexList is { } cold)
            {
                Line(text, $"The startIndex rows above hold the directory's list positions (the total and every {ScimFunctions.Storage.ListPositions.Stride}th key), " +
                    $"which an instance keeps for {cold.AppLifetimeSeconds:F0} s (this run: {cold.BenchmarkLifetimeSeconds:F0} s, so no cell straddles a rebuild) and drops on its own creates and deletes. " +
                    $"A startIndex page at depth {directory.Depth:N0} without them: {cold.Storage.Summary} round trips, {cold.Storage.RowsRead:N0} rows read, {Ms(cold.Milliseconds)} ms.");
                Line(text, "");
            }
        }

        var small = r.Directories.FirstOrDefault();
        var large = r.Directories.Count > 1 ? r.Directories[^1] : null;
        if (small is not null && large is not null)
        {
            Line(text, $"Per-operation cost at {small.Users:N0} vs {large.Users:N0} users (concurrency 1; p50 ms, round trips, rows read):");
            Line(text, "");
            Line(text, $"| operation | p50 at {small.Users:N0} | p50 at {large.Users:N0} | round trips | rows read |");
            Line(text, "| --- | ---: | ---: | --- | --- |");
            for (var i = 0; i < Math.Min(small.Operations.Count, large.Operations.Count); i++)
            {
                var a = small.Operations[i];
                var b = large.Operations[i];
                var name = a.Name == b.Name ? a.Name : $"{a.Name} / {b.Name}";
                Line(text, $"| {name} | {Ms(a.Cells[0].Scim.P50Ms)} | {Ms(b.Cells[0].Scim.P50Ms)} | {a.Scim.Total} → {b.Scim.Total} | {a.Scim.RowsRead:N0} → {b.Scim.RowsRead:N0} |");
            }
            Line(text, "");
        }

        Line(text, "Scale:");
        Line(text, "");
        Line(text, "| figure | users or members | concurrency | seconds | per second | storage round trips |");
        Line(text, "| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var sync in r.Syncs)
        {
            Line(text, $"| {sync.Label}{(sync.Errors > 0 ? $" ({sync.Errors} errors)" : "")} | {sync.Users:N0} | {sync.Concurrency} | {sync.Seconds:F1} | {sync.UsersPerSecond:F0} users/s | {sync.StorageRoundTrips:N0} |");
        }
        foreach (var build in r.GroupBuilds)
        {
            Line(text, $"| {build.Label} ({build.Patches:N0} PATCHes) | {build.Members:N0} | 1 | {build.Seconds:F1} | {build.MembersPerSecond:F0} members/s | {build.StorageRoundTrips:N0} |");
        }
        Line(text, "");
        if (r.GroupReads.Count > 0)
        {
            Line(text, "Group reads with members (streamed; memory is the host's managed heap above its level before the read):");
            Line(text, "");
            Line(text, "| figure | groups | members | response | median ms | peak heap above baseline | allocated per read | storage round trips |");
            Line(text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var read in r.GroupReads)
            {
                Line(text, $"| {read.Label} | {read.Groups:N0} | {read.Members:N0} | {Mib1(read.ResponseBytes)} | {Ms(read.MedianMilliseconds)} | " +
                    $"{Mib1(read.PeakHeapAboveBaselineBytes)} | {Mib1(read.AllocatedBytesPerRead)} | {read.StorageRoundTripsPerRead:N0} |");
            }
            Line(text, "");
        }
        if (r.Memory is { } memory)
        {
            Line(text, $"Peak memory: benchmark process (host + load client) {Mib(memory.HostProcessPeakWorkingSetBytes)} working set, " +
                $"{Mib(memory.HostProcessPeakManagedHeapBytes)} managed heap; Azurite {(memory.AzuritePeakResidentBytes is { } az ? Mib(az) : "not measured")} resident.");
        }
        if (r.KeyVaultReads is { } vault)
        {
            Line(text, $"Key Vault (token-hash store) reads: {vault.StoreReads} for {vault.Requests:N0} authenticated requests on {vault.Tokens} fresh tokens " +
                $"= {vault.ReadsPer10000Requests:F1} per 10,000 requests (cache lifetime {vault.CacheLifetimeSeconds:F0} s; expected: one per token per lifetime).");
        }
        RoleRecompute(text, r.RoleRecompute);
        Webhooks(text, r.Webhooks);
        if (r.Interrupted is { } why) Line(text, $"\nInterrupted: {why}.");
        return text.ToString();
    }

    private static void ColdStart(StringBuilder text, ColdStartResult? coldStart)
    {
        if (coldStart is null) return;
        if (coldStart.Problem is { } problem)
        {
            Line(text, $"Cold start: not measured ({problem}).");
            Line(text, "");
            return;
        }
        Line(text, $"Cold start, the local host as the proxy for a Functions worker: process start → first answered SCIM request ({coldStart.FirstRequest}); {coldStart.Note}. " +
            "Host started = until its banner (after `app.StartAsync()`: Kestrel listening, hosted services started); first request = that request's own time:");
        Line(text, "");
        Line(text, "| publish | starts | first answer, median ms | min ms | max ms | host started, median ms | first request, median ms | publish s |");
        Line(text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var variant in coldStart.Variants)
        {
            var failure = variant.Problem is null ? "" : $" ({variant.Problem})";
            var unclean = variant.Samples.Count(s => !s.StoppedCleanly) is > 0 and var count ? $" ({count} not stopped cleanly by SIGTERM)" : "";
            Line(text, $"| {variant.Name} (`{variant.PublishArguments}`){failure}{unclean} | {variant.Samples.Count} | {Ms(variant.FirstAnswerMedianMs)} | {Ms(variant.FirstAnswerMinMs)} | " +
                $"{Ms(variant.FirstAnswerMaxMs)} | {Ms(variant.HostStartedMedianMs)} | {Ms(variant.FirstRequestMedianMs)} | {variant.PublishSeconds.ToString("F0", CultureInfo.InvariantCulture)} |");
        }
        if (coldStart.ReadyToRunRatio is { } ratio)
        {
            Line(text, "");
            Line(text, $"ReadyToRun median ÷ plain median: {ratio.ToString("F2", CultureInfo.InvariantCulture)}.");
        }
        Line(text, "");
    }

    private static void Webhooks(StringBuilder text, WebhookResult? webhooks)
    {
        if (webhooks is null) return;
        Line(text, "");
        Line(text, $"Webhooks through the real queue trigger, settle window {webhooks.SettleWindowSeconds:F1} s ({webhooks.Note}):");
        Line(text, "");
        Line(text, "| figure | samples or events | p50 ms | p95 ms | max ms | seconds | per second | delivery round trips |");
        Line(text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var timeouts = webhooks.LatencyTimeouts > 0 ? $" ({webhooks.LatencyTimeouts} timed out)" : "";
        Line(text, $"| commit → webhook received, {Rate(webhooks.RatePerSecond)} creates/s, 3 endpoints{timeouts} | {webhooks.LatencySamples} | {Ms(webhooks.LatencyP50Ms)} | {Ms(webhooks.LatencyP95Ms)} | {Ms(webhooks.LatencyMaxMs)} | | | |");
        var incomplete = webhooks.BacklogCompleted ? "" : " (incomplete)";
        var trips = webhooks.DeliveryStorage is { } profile && webhooks.BacklogEvents > 0
            ? $"{profile.Summary}, {((double)profile.Total / webhooks.BacklogEvents).ToString("F2", CultureInfo.InvariantCulture)} per event" : "";
        Line(text, $"| backlog drained by one endpoint{incomplete} | {webhooks.BacklogEvents:N0} | | | | {webhooks.BacklogSeconds.ToString("F1", CultureInfo.InvariantCulture)} | {Rate(webhooks.EventsPerSecond)} events/s | {trips} |");
        foreach (var (label, load) in new[] { ("SCIM create user at c=8, no endpoint", webhooks.CreatesWithoutEndpoints), ("SCIM create user at c=8, 3 endpoints subscribed", webhooks.CreatesWithThreeEndpoints) })
        {
            if (load is null) continue;
            Line(text, $"| {label} | {load.Operations:N0} | {Ms(load.P50Ms)} | {Ms(load.P95Ms)} | | {load.WallSeconds.ToString("F1", CultureInfo.InvariantCulture)} | {Rate(load.OperationsPerSecond)} ops/s | |");
        }
    }

    private static void RoleRecompute(StringBuilder text, RoleRecomputeResult role)
    {
        if (!role.Available)
        {
            Line(text, $"Role recompute: not available. {role.Note}");
            return;
        }
        Line(text, "");
        Line(text, $"Role recompute through the real queue trigger ({role.Note}):");
        Line(text, "");
        Line(text, "| figure | samples or users | p50 ms | p95 ms | max ms | seconds | users/s | recompute round trips | per recomputed user |");
        Line(text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
        var timeouts = role.LatencyTimeouts > 0 ? $" ({role.LatencyTimeouts} timed out)" : "";
        Line(text, $"| membership PATCH (add 1 to a mapped group) → role visible{timeouts} | {role.LatencySamples} | {Ms(role.LatencyP50Ms)} | {Ms(role.LatencyP95Ms)} | {Ms(role.LatencyMaxMs)} | | | | |");
        var incomplete = role.MappingChangeCompleted ? "" : $" (incomplete: {role.UsersHoldingRole:N0} of {role.MappedGroupMembers:N0})";
        var trips = role.RecomputeStorage is { } profile ? $"{profile.Summary}, {profile.RowsRead:N0} rows" : "";
        var perUser = double.IsNaN(role.RoundTripsPerRecomputedUser) ? "-"
            : $"{role.RoundTripsPerRecomputedUser.ToString("F2", CultureInfo.InvariantCulture)} ({role.RowsReadPerRecomputedUser.ToString("F1", CultureInfo.InvariantCulture)} rows)";
        Line(text, $"| mapping change on a group of {role.MappedGroupMembers:N0} → all hold the role{incomplete} | {role.UsersHoldingRole:N0} | | | | " +
            $"{role.MappingChangeSeconds.ToString("F1", CultureInfo.InvariantCulture)} | {Rate(role.UsersPerSecond)} | {trips} | {perUser} |");
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value < 10 ? value.ToString("F1", CultureInfo.InvariantCulture) : value.ToString("F0", CultureInfo.InvariantCulture);

    private static string Rate(double value) => value < 10 ? value.ToString("F1", CultureInfo.InvariantCulture) : value.ToString("F0", CultureInfo.InvariantCulture);

    private static string Bytes(double bytes) => double.IsNaN(bytes) ? "-"
        : bytes < 1024 ? $"{bytes:F0} B"
        : bytes < 1024 * 1024 ? (bytes / 1024).ToString(bytes < 10 * 1024 ? "F1" : "F0", CultureInfo.InvariantCulture) + " KB"
        : (bytes / (1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MB";

    private static string Gib(long bytes) => $"{bytes / (1024.0 * 1024 * 1024):F0} GiB";

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):F0} MiB";

    private static string Mib1(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";
}
