using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>
/// The benchmark's webhook receiver on loopback (Kestrel): endpoint <c>/hook/{n}</c> answers 200 and records, per
/// endpoint, how many events arrived and when each user's <c>user.created</c> first arrived (a Stopwatch
/// timestamp, to compare with the commit's). It does not verify signatures: the tests do; here it only costs time.
/// </summary>
public sealed class WebhookBenchmarkReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(int Endpoint, string UserId), long> _created = new();
    private readonly ConcurrentDictionary<int, int> _events = new();

    private WebhookBenchmarkReceiver(WebApplication app) => _app = app;

    public string Url(int endpoint) => $"{_app.Urls.First()}/hook/{endpoint}";

    public static async Task<WebhookBenchmarkReceiver> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookBenchmarkReceiver(app);
        app.MapPost("/hook/{endpoint:int}", async (int endpoint, HttpRequest request) =>
        {
            var arrived = Stopwatch.GetTimestamp();
            using var body = await JsonDocument.ParseAsync(request.Body);
            receiver._events.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
            var root = body.RootElement;
            if (root.GetProperty("type").GetString() == "user.created" && root.GetProperty("data").GetProperty("userId").GetString() is { } userId)
            {
                receiver._created.TryAdd((endpoint, userId), arrived);
            }
            return Results.Ok();
        });
        await app.StartAsync(ct);
        return receiver;
    }

    /// <summary>Events of any type received by <paramref name="endpoint"/> (redeliveries included).</summary>
    public int Events(int endpoint) => _events.GetValueOrDefault(endpoint);

    /// <summary>Distinct users whose <c>user.created</c> reached <paramref name="endpoint"/>.</summary>
    public int UsersCreated(int endpoint) => _created.Keys.Count(k => k.Endpoint == endpoint);

    public long? CreatedArrival(int endpoint, string userId) => _created.TryGetValue((endpoint, userId), out var at) ? at : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
