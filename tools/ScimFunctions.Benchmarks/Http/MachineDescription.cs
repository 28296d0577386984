using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>What the figures were measured on: cores, memory, versions, commit.</summary>
public static class MachineDescription
{
    public static MachineInfo Collect() => new(
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        AzuriteVersion(),
        typeof(TableClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown",
        GitCommit());

    /// <summary>The installed Azurite package's version (the npm dev dependency the scripts start).</summary>
    private static string AzuriteVersion()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var package = Path.Combine(dir.FullName, "node_modules", "azurite", "package.json");
            if (File.Exists(package)) return JsonNode.Parse(File.ReadAllText(package))?["version"]?.GetValue<string>() ?? "unknown";
        }
        return "unknown";
    }

    private static string GitCommit()
    {
        var commit = RunGit("rev-parse HEAD");
        if (commit is null) return "unknown";
        return string.IsNullOrWhiteSpace(RunGit("status --porcelain --untracked-files=no")) ? commit : commit + " (with uncommitted changes)";
    }

    private static string? RunGit(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>A process's peak resident set (VmHWM) from /proc, or null where that is not available.</summary>
    public static long? PeakResidentBytes(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return long.TryParse(kilobytes, out var kb) ? kb * 1024 : null;
    }
}

/// <summary>Samples the managed heap size and keeps the largest seen.</summary>
public sealed class ManagedHeapSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public ManagedHeapSampler(TimeSpan interval) => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, interval);

    public long PeakBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        var now = GC.GetTotalMemory(false);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
    }

    public void Dispose() => _timer.Dispose();
}
