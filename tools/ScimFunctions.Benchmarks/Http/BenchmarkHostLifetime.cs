using Microsoft.Extensions.Hosting;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>The benchmark's hosts ignore Ctrl+C and SIGTERM: the benchmark handles them (stops its hosts, prints
/// what it measured), where the default console lifetime would stop a host under a still-running measurement.</summary>
public sealed class BenchmarkHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
