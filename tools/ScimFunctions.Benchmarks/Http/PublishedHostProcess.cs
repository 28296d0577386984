using System.Diagnostics;
using ScimFunctions.LocalHost;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>
/// A published local host run as a child process (<c>dotnet ScimFunctions.LocalHost.dll</c>, as the Functions
/// host launches a worker): the clock starts just before the process does, its banner line is time-stamped as
/// it arrives, and it is stopped with SIGTERM so that it shuts down as on a recycle.
/// </summary>
public sealed class PublishedHostProcess : IDisposable
{
    /// <summary>The local host prints this right after <c>app.StartAsync()</c> returned.</summary>
    private const string StartedBanner = "ScimFunctions local host on ";

    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly Queue<string> _lastLines = new();
    private double _hostStartedMs = double.NaN;

    private PublishedHostProcess(Process process, Stopwatch clock)
    {
        _process = process;
        _clock = clock;
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public double HostStartedMs => Volatile.Read(ref _hostStartedMs);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the host wrote (stdout and stderr), for a failure's message.</summary>
    public string LastLines
    {
        get { lock (_lastLines) return string.Join(" | ", _lastLines); }
    }

    public static PublishedHostProcess Start(string dotnet, string hostDll, int port, string settingsFile)
    {
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(hostDll);
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--settings", settingsFile, "--no-dev-directory" })
        {
            info.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = info };
        var clock = new Stopwatch();
        var host = new PublishedHostProcess(process, clock);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        clock.Start();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        if (double.IsNaN(HostStartedMs) && line.StartsWith(StartedBanner, StringComparison.Ordinal))
        {
            Volatile.Write(ref _hostStartedMs, _clock.Elapsed.TotalMilliseconds);
        }
        lock (_lastLines)
        {
            _lastLines.Enqueue(line.Length <= 300 ? line : line[..300]);
            while (_lastLines.Count > 5) _lastLines.Dequeue();
        }
    }

    /// <summary>SIGTERM, then a kill if the host has not exited after <paramref name="grace"/>; true when it
    /// exited by itself with code 0.</summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return _process.ExitCode == 0;
        if (UnixSignal.TryTerminate(_process.Id))
        {
            using var wait = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
                return _process.ExitCode == 0;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        return false;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
