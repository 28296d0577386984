using ScimFunctions.LocalHost;

namespace ScimFunctions.Tests.TestSupport;

/// <summary>A local host on a free loopback port against the test Azurite, stopped when the test ends.</summary>
public sealed class RunningLocalHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningLocalHost(WebApplication app, HttpClient client, string functionKey)
    {
        this.app = app;
        Client = client;
        FunctionKey = functionKey;
    }

    public HttpClient Client { get; }
    public string FunctionKey { get; }
    public IServiceProvider Services => app.Services;
    public Uri BaseAddress => Client.BaseAddress!;

    public static async Task<RunningLocalHost> StartAsync(Action<LocalHostOptions>? configure = null)
    {
        var options = new LocalHostOptions { Port = 0, LoadSettingsFile = false, FunctionKey = "test-function-key-" + Guid.NewGuid().ToString("N") };
        options.Settings["AzureWebJobsStorage"] = TestStorage.ConnectionString;
        options.Settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        // The SDK warns of every expected 404 and slow answer; in a test log those bury the failures.
        options.Settings["Logging:LogLevel:Azure.Core"] = "Error";
        configure?.Invoke(options);
        var app = LocalFunctionsHost.Build(options);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = app.BaseAddress(), Timeout = TimeSpan.FromSeconds(60) };
        return new RunningLocalHost(app, client, options.FunctionKey!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
