using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ScimFunctions.Tests.Webhooks;

/// <summary>A webhook receiver on loopback (Kestrel) that records every delivery and verifies its signature
/// per the Standard Webhooks spec, independently of the app's signer: the secret is <c>whsec_</c> + base64 key;
/// the signed content is <c>{webhook-id}.{webhook-timestamp}.{body}</c>; <c>webhook-signature</c> holds
/// space-separated <c>v1,{base64 HMAC-SHA256}</c> entries, any one of which may match.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The status to answer each request with (default 200).</summary>
    public Func<ReceivedWebhook, int> Answer { get; set; } = _ => 200;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string Url => app.Urls.First() + "/hook";

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var received = new ReceivedWebhook(request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(), body);
            receiver.Received.Enqueue(received);
            return Results.StatusCode(receiver.Answer(received));
        });
        await app.StartAsync();
        return receiver;
    }

    public async Task<List<ReceivedWebhook>> WaitForAsync(Func<List<ReceivedWebhook>, bool> done, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(40));
        while (DateTime.UtcNow < until)
        {
            var snapshot = Received.ToList();
            if (done(snapshot)) return snapshot;
            await Task.Delay(100);
        }
        return Received.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string Type => Json["type"]!.GetValue<string>();

    /// <summary>Standard Webhooks verification, written from the spec.</summary>
    public bool VerifiesWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Id + "." + Timestamp + "." + Body)));
        return Signature.Split(' ').Any(entry => entry.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(entry[3..]), Encoding.ASCII.GetBytes(expected)));
    }
}
