using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.LocalHost;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>
/// One local host for the whole matrix, its storage clients behind a <see cref="StorageFaultPolicy"/>, its
/// queue listeners and timers off (<see cref="BackgroundWork"/> runs them), and nothing of its own in the
/// background counted: only the calls an HTTP request makes count and fault (the request log's flush and
/// webhook prompts do not), and the caches outlive the run, so a route's storage calls are the same in every case.
/// No group of a case is old enough for a membership waiver, so its routes' calls do not depend on timing.
/// Its storage is an Azurite of its own: on the shared one, other test hosts' queue listeners would take its
/// recompute messages and write (a fan-out marking members pending) after this host's background work settled.
/// </summary>
public sealed class FaultMatrixHost : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Task<(IReadOnlyList<string> Calls, StoreSnapshot Final)>> clean = new(StringComparer.Ordinal);

    private AzuriteProcess storage = null!;

    public StorageFaultPolicy Faults { get; } = new();
    public RunningLocalHost Host { get; private set; } = null!;
    public BackgroundWork Background { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Faults.ScopedOnly = true;
        storage = TestAzurite.StartPrivate();
        Host = await RunningLocalHost.StartAsync(options =>
        {
            options.Settings["AzureWebJobsStorage"] = storage.ConnectionString;
            options.RunQueueListeners = false;
            options.RunTimers = false;
            options.Settings["TokenCacheLifetime"] = "01:00:00";
            // No membership waiver for a case's group, whatever the time between its creation and the route: the
            // group is created just before, and whether a waiver applied would otherwise depend on how long the
            // arrangement's settling took (a slow machine), changing the route's transactions between runs.
            options.Settings["Roles:WaiverClockSlack"] = "01:00:00";
            options.ConfigureServices = services => services
                .AddSingleton(new StorageClientPolicy(Faults))
                .AddSingleton<IStartupFilter>(new FaultScopeStartupFilter(Faults));
        });
        Background = new BackgroundWork(Host.Services, storage.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        storage.Stop();
    }

    public RouteContext NewContext(string tag) => new(Host, storage.ConnectionString, tag + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Arranges the route without faults and lets the background settle it.</summary>
    public async Task<RouteContext> ArrangeAsync(WriteRoute route, string tag)
    {
        Faults.Disarm();
        var context = NewContext(tag);
        await route.Arrange(context);
        await SettleAsync(context);
        return context;
    }

    public async Task SettleAsync(RouteContext context)
    {
        var before = await StoreSnapshot.TakeAsync(context);
        await Background.RunAsync(before.DirectoryIds);
    }

    /// <summary>The route run once without faults: its storage calls ("METHOD /path") and the settled store after it (once per route).</summary>
    public Task<(IReadOnlyList<string> Calls, StoreSnapshot Final)> CleanRunAsync(WriteRoute route) => clean.GetOrAdd(route.Name, _ => RunCleanAsync(route));

    private async Task<(IReadOnlyList<string> Calls, StoreSnapshot Final)> RunCleanAsync(WriteRoute route)
    {
        var context = await ArrangeAsync(route, "clean-" + route.Name);
        var start = Faults.Calls;
        var answer = await route.Act(context);
        var calls = Faults.CallsSince(start);
        if (!answer.IsSuccess) throw new InvalidOperationException($"The clean run of {route.Name} answered {answer}.");
        await SettleAsync(context);
        return (calls, await StoreSnapshot.TakeAsync(context));
    }
}
