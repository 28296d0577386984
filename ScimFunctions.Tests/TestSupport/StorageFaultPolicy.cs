using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimFunctions.Tests.TestSupport;

/// <summary>A storage failure as the app sees it after the SDK's own retries.</summary>
public enum StorageFault
{
    /// <summary>The service answers 500.</summary>
    Status500,

    /// <summary>The service answers 503 (server busy).</summary>
    Status503,

    /// <summary>No response at all: the SDK's <see cref="RequestFailedException"/> with status 0.</summary>
    ConnectionRefused,

    /// <summary>The connection drops mid-call: a raw <see cref="HttpRequestException"/>.</summary>
    DroppedConnection,

    /// <summary>The call exceeds the network timeout: <see cref="TaskCanceledException"/>, as the SDK throws it.</summary>
    Timeout,
}

/// <summary>
/// Injects <see cref="StorageFault"/>s into chosen storage calls of the clients it is added to (per call,
/// before the retry policy, so the app sees the failure exactly once per chosen call). Calls are chosen by
/// a predicate on the request; each armed fault hits the next <c>times</c> matching calls, then calls pass.
/// </summary>
public sealed class StorageFaultPolicy : HttpPipelinePolicy
{
    private readonly Lock gate = new();
    private readonly List<Armed> armed = [];
    private readonly List<string> seen = [];
    private int calls;

    private readonly AsyncLocal<bool> inScope = new();

    /// <summary>When set, only calls made within a <see cref="BeginScope"/> (an HTTP request of the host, see
    /// <see cref="FaultScopeStartupFilter"/>) are counted and faulted: the host's own background work (the
    /// request log's flush, webhook prompts) would otherwise shift the call indexes of the request under test.</summary>
    public bool ScopedOnly { get; set; }

    /// <summary>Marks the calls made from here on, in this async flow, as in scope (see <see cref="ScopedOnly"/>).</summary>
    public IDisposable BeginScope()
    {
        inScope.Value = true;
        return new ScopeEnd(inScope);
    }

    /// <summary>Every storage call seen so far (faulted or not).</summary>
    public int Calls { get { lock (gate) return calls; } }

    /// <summary>The calls seen from index <paramref name="from"/> on, as "METHOD /path" (to name a faulted call).</summary>
    public IReadOnlyList<string> CallsSince(int from)
    {
        lock (gate) return seen.Skip(from).ToList();
    }

    /// <summary>How many calls were faulted.</summary>
    public int Injected { get; private set; }

    /// <summary>Fails the next <paramref name="times"/> calls matching <paramref name="when"/> (default: every call).</summary>
    public void Arm(StorageFault fault, int times = 1, Func<Request, bool>? when = null)
    {
        lock (gate) armed.Add(new Armed(fault, times, (request, _) => when is null || when(request)));
    }

    /// <summary>Fails the call with this index, counted from 0 over the calls made after this.</summary>
    public void ArmCallIndex(StorageFault fault, int index)
    {
        lock (gate)
        {
            var target = calls + index;
            armed.Add(new Armed(fault, 1, (_, call) => call == target));
        }
    }

    public void Disarm()
    {
        lock (gate) armed.Clear();
    }

    /// <summary>An entity-group transaction on <paramref name="table"/>: every transaction posts to the same
    /// <c>$batch</c> path, so the table is read from the changeset in the body.</summary>
    public static Func<Request, bool> TransactionOn(string table) => request =>
    {
        if (!request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) || request.Content is null) return false;
        using var body = new MemoryStream();
        request.Content.WriteTo(body, CancellationToken.None);
        return System.Text.RegularExpressions.Regex.IsMatch(System.Text.Encoding.UTF8.GetString(body.ToArray()), "/" + table + @"[( ?]", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    };

    /// <summary>Calls to one table's rows: point reads, queries and writes of that table (not its creation).</summary>
    public static Func<Request, bool> TableRows(string table) => request =>
    {
        var path = request.Uri.Path;
        return path.Contains("/" + table + "(", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith("/" + table, StringComparison.OrdinalIgnoreCase);
    };

    /// <summary>Calls to one queue: its creation and its messages.</summary>
    public static Func<Request, bool> Queue(string queue) => request =>
    {
        var path = request.Uri.Path;
        return path.EndsWith("/" + queue, StringComparison.Ordinal) || path.Contains("/" + queue + "/", StringComparison.Ordinal);
    };

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (TryTake(message.Request, out var fault)) Apply(message, fault.Value);
        else ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (TryTake(message.Request, out var fault)) Apply(message, fault.Value);
        else await ProcessNextAsync(message, pipeline);
    }

    private bool TryTake(Request request, [NotNullWhen(true)] out StorageFault? fault)
    {
        if (ScopedOnly && !inScope.Value)
        {
            fault = null;
            return false;
        }
        lock (gate)
        {
            var call = calls++;
            seen.Add($"{request.Method} {Uri.UnescapeDataString(request.Uri.Path)}");
            for (var i = 0; i < armed.Count; i++)
            {
                if (!armed[i].When(request, call)) continue;
                fault = armed[i].Fault;
                armed[i] = armed[i] with { Times = armed[i].Times - 1 };
                if (armed[i].Times <= 0) armed.RemoveAt(i);
                Injected++;
                return true;
            }
        }
        fault = null;
        return false;
    }

    private static void Apply(HttpMessage message, StorageFault fault)
    {
        switch (fault)
        {
            case StorageFault.Status500:
                message.Response = new FaultResponse(500, "Internal Server Error");
                return;
            case StorageFault.Status503:
                message.Response = new FaultResponse(503, "Server Busy");
                return;
            case StorageFault.ConnectionRefused:
                throw new RequestFailedException("Connection refused (127.0.0.1:10002)", new HttpRequestException("Connection refused"));
            case StorageFault.DroppedConnection:
                throw new HttpRequestException("An error occurred while sending the request.", new IOException("The response ended prematurely."));
            default:
                throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:20.");
        }
    }

    private sealed class ScopeEnd(AsyncLocal<bool> flag) : IDisposable
    {
        public void Dispose() => flag.Value = false;
    }

    private sealed record Armed(StorageFault Fault, int Times, Func<Request, int, bool> When);

    /// <summary>A bodiless storage error response.</summary>
    private sealed class FaultResponse(int status, string reason) : Response
    {
        public override int Status => status;
        public override string ReasonPhrase => reason;
        public override Stream? ContentStream { get; set; } = new MemoryStream();
        public override string ClientRequestId { get; set; } = Guid.NewGuid().ToString();
        public override void Dispose() => ContentStream?.Dispose();
        protected override bool ContainsHeader(string name) => false;
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];
        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) { value = null; return false; }
        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values) { values = null; return false; }
    }
}
