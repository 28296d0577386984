using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Portal;

/// <summary>One local host per test class with a clock the tests move; portal clients keep their own cookie.</summary>
public sealed class PortalHostFixture : IAsyncLifetime
{
    public RunningLocalHost Host { get; private set; } = null!;
    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        Host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunQueueListeners = false;
            options.RunTimers = false;
            options.ConfigureServices = services => services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public async Task<JsonObject> ManageAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", Host.FunctionKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public async Task<string> NewDirectoryAsync(string name = "Portal test")
    {
        var directory = await ManageAsync(HttpMethod.Post, "/manage/directories", new { displayName = name, provider = "OneLogin" }, HttpStatusCode.Created);
        return (string)directory["id"]!;
    }

    /// <summary>Mints a link and returns its secret (from the URL fragment).</summary>
    public async Task<string> LinkSecretAsync(string? directoryId, object? body = null)
    {
        var path = directoryId is null ? "/manage/portal-links" : $"/manage/directories/{directoryId}/portal-links";
        var link = await ManageAsync(HttpMethod.Post, path, body ?? (directoryId is null ? new { scopes = new[] { "operator" } } : new { }), HttpStatusCode.Created);
        var url = (string)link["url"]!;
        return url[(url.IndexOf("#link=", StringComparison.Ordinal) + "#link=".Length)..];
    }

    public PortalClient NewClient() => new(Host.BaseAddress);

    /// <summary>A browser-like client with a session already redeemed from a fresh link.</summary>
    public async Task<PortalClient> SignedInAsync(string? directoryId, object? linkBody = null)
    {
        var client = NewClient();
        var response = await client.RedeemAsync(await LinkSecretAsync(directoryId, linkBody));
        response.Expect(HttpStatusCode.OK);
        return client;
    }
}

public sealed record PortalResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Message, string Text)
{
    public string? Header(string name) =>
        Message.Headers.TryGetValues(name, out var values) || Message.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    public string? Error => Body is JsonObject body ? (string?)body["error"] : null;

    public PortalResponse Expect(HttpStatusCode status)
    {
        Assert.True(status == Status, $"Expected {(int)status}, got {(int)Status}: {Text}");
        return this;
    }
}

/// <summary>Talks to /portal like the page does: its own cookie, and <c>X-Portal-Request: 1</c> on mutations unless told not to.</summary>
public sealed class PortalClient(Uri baseAddress)
{
    private readonly HttpClient http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public string? Cookie { get; set; }

    public Task<PortalResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<PortalResponse> RedeemAsync(string secret) => SendAsync(HttpMethod.Post, "/portal/api/session", new JsonObject { ["link"] = secret });

    public async Task<PortalResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, bool csrfHeader = true, string? rawBody = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (Cookie is not null) request.Headers.Add("Cookie", Cookie);
        if (csrfHeader && method != HttpMethod.Get) request.Headers.Add("X-Portal-Request", "1");
        if (body is not null || rawBody is not null) request.Content = new StringContent(rawBody ?? body!.ToJsonString(), Encoding.UTF8, "application/json");
        configure?.Invoke(request);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            var pair = cookies.First().Split(';')[0];
            Cookie = pair.EndsWith('=') ? null : pair;
        }
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0) json = JsonNode.Parse(text);
        return new PortalResponse(response.StatusCode, json, response, text);
    }
}
