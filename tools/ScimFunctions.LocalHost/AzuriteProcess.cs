using System.Diagnostics;

namespace ScimFunctions.LocalHost;

/// <summary>
/// An Azurite this program started (node running the pinned package), stopped by <see cref="Stop"/> or
/// <see cref="Dispose"/>. Stopping asks first and kills after a grace period: Azurite 3.37 ignores SIGTERM,
/// so it is SIGINT on Linux and macOS, and closing its standard input everywhere (the launcher below turns
/// that into Azurite's own Ctrl+C shutdown, which also stops it when this process dies without stopping it).
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(5);

    // Runs Azurite's entry script with the given arguments, and shuts it down when standard input closes.
    private const string Launcher = """
        const [entry, ...args] = process.argv.slice(1);
        process.argv = [process.argv[0], entry, ...args];
        process.stdin.on("end", () => { process.emit("SIGINT"); setTimeout(() => process.exit(0), 4000).unref(); });
        process.stdin.on("error", () => process.emit("SIGINT"));
        process.stdin.resume();
        require(entry);
        """;

    private readonly Process process;
    private readonly StreamWriter? log;
    private readonly Lock stopLock = new();
    private bool stopped;

    private AzuriteProcess(Process process, AzuritePorts ports, StreamWriter? log)
    {
        this.process = process;
        this.log = log;
        Ports = ports;
    }

    public AzuritePorts Ports { get; }
    public int ProcessId => process.Id;
    public string ConnectionString => Ports.ConnectionString;

    /// <summary>Starts Azurite on <paramref name="ports"/> and waits until all three answer. With
    /// <paramref name="dataFolder"/> the data is kept there; without it, in memory. Azurite's output goes to
    /// <paramref name="logPath"/> when given.</summary>
    public static AzuriteProcess Start(string entryPoint, AzuritePorts ports, string? dataFolder = null, string? logPath = null)
    {
        foreach (var port in ports.All)
        {
            // Another process on the port would answer in Azurite's place, with other data.
            if (TcpProbe.IsListening("127.0.0.1", port)) throw new AzuriteException($"Port {port} on 127.0.0.1 is already in use; Azurite cannot start on {ports}.");
        }

        var start = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-e", Launcher, "--", entryPoint, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry" },
        };
        foreach (var (service, port) in new[] { ("blob", ports.Blob), ("queue", ports.Queue), ("table", ports.Table) })
        {
            start.ArgumentList.Add($"--{service}Host");
            start.ArgumentList.Add("127.0.0.1");
            start.ArgumentList.Add($"--{service}Port");
            start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (dataFolder is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataFolder);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataFolder);
        }

        StreamWriter? log = null;
        if (logPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
            log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new AzuriteException("Could not start node.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            log?.Dispose();
            throw new AzuriteException("'node' was not found: install Node.js, then run again.");
        }

        var lastOutput = new LastLines();
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, ports, log);

        var deadline = Stopwatch.StartNew();
        while (!ports.All.All(port => TcpProbe.IsListening("127.0.0.1", port)))
        {
            if (process.HasExited)
            {
                azurite.Stop();
                throw new AzuriteException($"Azurite exited during start-up on {ports}: {lastOutput}");
            }
            if (deadline.Elapsed > StartTimeout)
            {
                azurite.Stop();
                throw new AzuriteException($"Azurite did not open {ports} within {StartTimeout.TotalSeconds:0} s.");
            }
            Thread.Sleep(100);
        }
        return azurite;

        void Record(string? line)
        {
            if (line is null) return;
            lastOutput.Add(line);
            try
            {
                lock (lastOutput) log?.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives while stopping.
            }
        }
    }

    /// <summary>Stops Azurite and waits for it to exit; safe to call more than once and from any thread.</summary>
    public void Stop()
    {
        lock (stopLock)
        {
            if (stopped) return;
            stopped = true;
            try
            {
                if (!process.HasExited)
                {
                    try { process.StandardInput.Close(); } catch (IOException) { }
                    UnixSignal.TryInterrupt(process.Id);
                    if (!process.WaitForExit(StopGracePeriod)) process.Kill(entireProcessTree: true);
                    process.WaitForExit(StopGracePeriod);
                }
            }
            catch (InvalidOperationException)
            {
                // It has already exited.
            }
            finally
            {
                process.Dispose();
                log?.Dispose();
            }
        }
    }

    public void Dispose() => Stop();

    /// <summary>The last lines Azurite printed, for a one-line reason when it fails to start.</summary>
    private sealed class LastLines
    {
        private readonly Queue<string> lines = new();

        public void Add(string line)
        {
            lock (lines)
            {
                if (string.IsNullOrWhiteSpace(line)) return;
                lines.Enqueue(line.Trim());
                if (lines.Count > 3) lines.Dequeue();
            }
        }

        public override string ToString()
        {
            lock (lines) return lines.Count == 0 ? "(no output)" : string.Join(" | ", lines);
        }
    }
}
