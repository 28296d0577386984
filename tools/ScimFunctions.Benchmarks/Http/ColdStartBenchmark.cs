using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using ScimFunctions.LocalHost;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>
/// The cold start figure. No Functions host runs here, so the local host stands in for the worker: it is
/// published (Release) twice, plain and ReadyToRun, and each publish is started as a child process against the
/// benchmark's Azurite, the starts alternating between the two so that the machine's drift falls on both. Each
/// start is timed from the process start until the first SCIM request on an existing directory answers 200,
/// as the first request an identity provider sends to a cold instance.
/// </summary>
public static class ColdStartBenchmark
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private static readonly (string Name, string[] Arguments)[] Publishes =
    [
        // The app's project turns ReadyToRun on for every publish; the plain one turns it off again (a global property wins).
        ("plain", ["-c", "Release", "-p:PublishReadyToRun=false"]),
        // Flex Consumption runs linux-x64; framework-dependent, as the deployed app.
        ("ReadyToRun", ["-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"]),
    ];

    /// <param name="scimBasePath">The existing directory's <c>/scim/{id}/v2</c>.</param>
    public static async Task<ColdStartResult> MeasureAsync(string storageConnectionString, string scimBasePath, string token, int starts, Action<string> log, CancellationToken ct)
    {
        var firstRequest = $"GET {scimBasePath}/Users?count=1 with the directory's bearer token";
        var result = new ColdStartResult(
            "the local host published to a temporary folder and run as `dotnet ScimFunctions.LocalHost.dll` (Development settings: the token-hash store on Azurite; " +
            "its queue listeners and timers on, as `dotnet run` runs it); the directory, its token and one user were made beforehand through the benchmark's in-process host; " +
            $"the endpoint polled every {PollInterval.TotalMilliseconds:F0} ms until it answered 200; starts alternate between the publishes",
            firstRequest);
        var project = FindLocalHostProject();
        if (project is null)
        {
            result.Problem = "tools/ScimFunctions.LocalHost/ScimFunctions.LocalHost.csproj not found above the working directory";
            log($"cold start: {result.Problem}");
            return result;
        }

        var folder = Path.Combine(Path.GetTempPath(), "scim-cold-start-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var settingsFile = Path.Combine(folder, "local.settings.json");
            await File.WriteAllTextAsync(settingsFile, SettingsJson(storageConnectionString), ct);
            var dotnet = DotnetExecutable();
            var hosts = new List<(ColdStartVariant Variant, string Dll)>();
            foreach (var (name, arguments) in Publishes)
            {
                var output = Path.Combine(folder, name);
                var clock = Stopwatch.StartNew();
                var dll = Path.Combine(output, "ScimFunctions.LocalHost.dll");
                var problem = await PublishAsync(dotnet, project, arguments, output, ct)
                    ?? (File.Exists(dll) ? null : $"dotnet publish exited 0 but left no {Path.GetFileName(dll)} in {output}");
                var variant = new ColdStartVariant(name, string.Join(' ', arguments), clock.Elapsed.TotalSeconds) { Problem = problem };
                result.Variants.Add(variant);
                log($"cold start: published {name} in {clock.Elapsed.TotalSeconds:F0} s{(problem is null ? "" : $": {problem}")}");
                if (problem is null) hosts.Add((variant, dll));
            }

            for (var round = 0; round < starts; round++)
            {
                foreach (var (variant, dll) in hosts)
                {
                    if (variant.Problem is not null) continue;
                    var (sample, problem) = await StartOnceAsync(dotnet, dll, settingsFile, scimBasePath, token, ct);
                    if (sample is not null) variant.Samples.Add(sample);
                    variant.Problem = problem;
                    log($"cold start: {variant.Name} #{round + 1}: " + (sample is null ? problem
                        : $"first answer {sample.FirstAnswerMs:F0} ms (host started {sample.HostStartedMs:F0} ms, first request {sample.FirstRequestMs:F0} ms, {sample.RefusedAttempts} refused polls)"));
                }
            }
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return result;
    }

    private static async Task<(ColdStartSample? Sample, string? Problem)> StartOnceAsync(string dotnet, string dll, string settingsFile, string scimBasePath, string token, CancellationToken ct)
    {
        var port = FreeLoopbackPort();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = StartBound };
        using var host = PublishedHostProcess.Start(dotnet, dll, port, settingsFile);
        var refused = 0;
        string? lastAnswer = null;
        ColdStartSample? sample = null;
        try
        {
            while (sample is null && host.Elapsed < StartBound)
            {
                if (host.HasExited) return (null, $"the host exited with code {host.ExitCode} before answering: {host.LastLines}");
                var sent = host.Elapsed;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{scimBasePath}/Users?count=1");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.ReadAsStringAsync(ct);
                    var answered = host.Elapsed;
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        sample = new ColdStartSample(answered.TotalMilliseconds, host.HostStartedMs, (answered - sent).TotalMilliseconds, refused, StoppedCleanly: false);
                        break;
                    }
                    lastAnswer = $"{(int)response.StatusCode}";
                }
                catch (HttpRequestException)
                {
                    refused++; // not listening yet
                }
                await Task.Delay(PollInterval, ct);
            }
        }
        finally
        {
            var clean = await host.StopAsync(StopGrace);
            if (sample is not null) sample = sample with { StoppedCleanly = clean };
        }
        return sample is null
            ? (null, $"no 200 within {StartBound.TotalSeconds:F0} s (last answer: {lastAnswer ?? "none"}): {host.LastLines}")
            : (sample, null);
    }

    private static async Task<string?> PublishAsync(string dotnet, string project, string[] arguments, string output, CancellationToken ct)
    {
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["publish", project, .. arguments, "-o", output, "--nologo", "-v", "q", "-clp:ErrorsOnly"])
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode == 0) return null;
        var text = ((await stdout) + " " + (await stderr)).ReplaceLineEndings(" ").Trim();
        return $"dotnet publish exited {process.ExitCode}: {(text.Length <= 400 ? text : text[..400] + "...")}";
    }

    /// <summary>The settings the child host reads (as local.settings.json): the benchmark's Azurite, Development
    /// (so tokens are checked against the Azurite token-hash table the in-process host wrote), quiet logs.</summary>
    private static string SettingsJson(string storageConnectionString) => JsonSerializer.Serialize(new
    {
        IsEncrypted = false,
        Values = new Dictionary<string, string>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
        },
    });

    private static string? FindLocalHostProject()
    {
        var root = AzuriteInstallation.FindRepositoryRoot();
        var project = root is null ? null : Path.Combine(root, "tools", "ScimFunctions.LocalHost", "ScimFunctions.LocalHost.csproj");
        return project is not null && File.Exists(project) ? project : null;
    }

    /// <summary>The muxer this benchmark runs under (scripts/benchmark.sh starts it with <c>dotnet</c>), else the one on PATH.</summary>
    private static string DotnetExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
