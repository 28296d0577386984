using OpenTelemetry.Trace;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ScimFunctions.LocalHost;

public sealed class LocalHostOptions
{
    /// <summary>7071, as <c>func start</c>; 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 7071;

    /// <summary>Where local.settings.json is; null searches for it; <see cref="LoadSettingsFile"/> false skips it.</summary>
    public string? SettingsPath { get; set; }
    public bool LoadSettingsFile { get; set; } = true;

    /// <summary>Settings applied over the file (tests point these at their Azurite).</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key Function-level routes require; random per run when not configured.</summary>
    public string? FunctionKey { get; set; }

    /// <summary>Function classes beyond the app's own (tests add probe functions).</summary>
    public IList<Type> ExtraFunctionTypes { get; } = new List<Type>();

    /// <summary>Extra services (tests register probes) and host.json adjustments (tests shorten waits).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }
    public Func<HostJsonSettings, HostJsonSettings>? AdjustHostJson { get; set; }

    public bool RunQueueListeners { get; set; } = true;
    public bool RunTimers { get; set; } = true;
}

/// <summary>
/// Runs the Functions app's own function classes on Kestrel, without Core Tools: HTTP functions at the URLs
/// <c>func start</c> would serve, queue triggers polled with the host's semantics, timers on their schedule,
/// all composed by the app's own <c>AddScimFunctions</c>.
/// </summary>
public static class LocalFunctionsHost
{
    public const string FunctionKeySetting = "LocalHost:FunctionKey";

    public static WebApplication Build(LocalHostOptions options)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var settingsFile = options.LoadSettingsFile ? LocalSettingsFile.Find(options.SettingsPath) : null;
        if (settingsFile is not null)
        {
            foreach (var (key, value) in LocalSettingsFile.ReadValues(settingsFile)) settings[key] = value;
        }
        foreach (var (key, value) in options.Settings) settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = settings.GetValueOrDefault("AZURE_FUNCTIONS_ENVIRONMENT") ?? Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(options.Port == 0 ? "http://127.0.0.1:0" : $"http://localhost:{options.Port}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // As the Functions host: a body slower than 240 bytes/s after a 5 s grace is cut (the function answers
            // 408), and headers must arrive within 30 s. Stated here so that local runs and tests rely on them.
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var hostJson = HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));
        if (options.AdjustHostJson is not null) hostJson = options.AdjustHostJson(hostJson);
        var functions = FunctionCatalog.Discover(
            typeof(ServiceCollectionExtensions).Assembly.GetExportedTypes().Concat(options.ExtraFunctionTypes).Distinct());
        var functionKey = options.FunctionKey
            ?? builder.Configuration[FunctionKeySetting]
            ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

        builder.Services.AddScimFunctions(builder.Configuration, builder.Environment);
        // In Azure the Functions host traces each HTTP request and the worker's spans nest under it; here
        // Kestrel plays the host, so its request span is the root. Nothing is exported unless configured.
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
        options.ConfigureServices?.Invoke(builder.Services);
        builder.Services.AddSingleton(hostJson);
        builder.Services.AddSingleton<IEnumerable<FunctionDescriptor>>(functions);
        builder.Services.AddSingleton(new LocalHostInfo(functionKey, settingsFile, functions));
        if (options.RunQueueListeners) builder.Services.AddHostedService<QueueTriggerListener>();
        if (options.RunTimers) builder.Services.AddHostedService<TimerTriggerScheduler>();

        var app = builder.Build();
        app.MapHttpFunctions(functions, hostJson, functionKey);
        return app;
    }

    /// <summary>The address Kestrel listens on, once started.</summary>
    public static Uri BaseAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}

/// <summary>What the running local host was started with, for the start-up banner and tests.</summary>
public sealed record LocalHostInfo(string FunctionKey, string? SettingsFile, IReadOnlyList<FunctionDescriptor> Functions);
