using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Roles;
using ScimFunctions.Tests.Provisioning;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.EndToEnd;

/// <summary>One local host (real functions, real composition root, test Azurite) per test class, with a
/// recording role signal; each test makes its own directory and token through the management API. A subclass
/// may change the host's services (<see cref="ConfigureServices"/>).</summary>
public class ScimHostFixture : IAsyncLifetime
{
    public RunningLocalHost Host { get; private set; } = null!;
    public RecordingRoleSignal Signal { get; } = new();

    public async Task InitializeAsync()
    {
        Host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunQueueListeners = false;
            options.RunTimers = false;
            options.ConfigureServices = services =>
            {
                services.AddSingleton<IRoleRecomputeSignal>(Signal);
                ConfigureServices(services);
            };
        });
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>A new directory with a bearer token, as an admin would set it up for an IdP.</summary>
    public async Task<ScimClient> NewDirectoryAsync(string provider)
    {
        var directory = await ManageAsync("/manage/directories", new JsonObject { ["displayName"] = "E2E " + provider, ["provider"] = provider });
        var id = directory["id"]!.GetValue<string>();
        var token = await ManageAsync($"/manage/directories/{id}/tokens", new JsonObject { ["label"] = "e2e" });
        return new ScimClient(Host.Client, id, token["token"]!.GetValue<string>());
    }

    private async Task<JsonNode> ManageAsync(string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", Host.FunctionKey);
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}

public sealed record ScimResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Message)
{
    public string? ETag => Message.Headers.ETag?.ToString();
    public string? MediaType => Message.Content.Headers.ContentType?.MediaType;
    public string Id => Body!["id"]!.GetValue<string>();

    public ScimResponse Expect(HttpStatusCode status)
    {
        Assert.True(status == Status, $"Expected {(int)status}, got {(int)Status}: {Body?.ToJsonString()}");
        return this;
    }
}

/// <summary>Talks SCIM to one directory's base URL with its bearer token.</summary>
public sealed class ScimClient(HttpClient http, string directoryId, string token)
{
    public string DirectoryId { get; } = directoryId;
    public string Token { get; } = token;
    public string BasePath => $"/scim/{DirectoryId}/v2";

    public Task<ScimResponse> GetAsync(string path, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Get, path, null, configure: configure);
    public Task<ScimResponse> PostAsync(string path, JsonNode body, string contentType = "application/scim+json") => SendAsync(HttpMethod.Post, path, body, contentType);
    public Task<ScimResponse> PutAsync(string path, JsonNode body, string contentType = "application/scim+json") => SendAsync(HttpMethod.Put, path, body, contentType);
    public Task<ScimResponse> PatchAsync(string path, JsonNode body, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Patch, path, body, configure: configure);
    public Task<ScimResponse> DeleteAsync(string path, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Delete, path, null, configure: configure);

    public async Task<ScimResponse> SendAsync(HttpMethod method, string path, JsonNode? body, string contentType = "application/scim+json", Action<HttpRequestMessage>? configure = null, string? rawBody = null)
    {
        using var request = new HttpRequestMessage(method, BasePath + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null || rawBody is not null)
        {
            request.Content = new StringContent(rawBody ?? body!.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        configure?.Invoke(request);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ScimResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static string Filter(string filter) => Uri.EscapeDataString(filter);

    public static JsonObject Patch(params JsonObject[] operations) => ProvisioningFixture.Patch(operations);

    public static JsonArray MemberList(params string[] ids) =>
        new(ids.Select(id => (JsonNode?)new JsonObject { ["value"] = id }).ToArray());
}
