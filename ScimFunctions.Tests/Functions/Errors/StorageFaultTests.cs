using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Directories;
using ScimFunctions.Storage;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors;

/// <summary>
/// Storage failing under real SCIM and management requests (local host, test Azurite, faults injected into
/// the app's own storage clients): every one is a 503 with Retry-After and an error body, and the same
/// request succeeds once storage answers again.
/// </summary>
public sealed class StorageFaultTests(StorageFaultTests.FaultyHost fixture) : IClassFixture<StorageFaultTests.FaultyHost>
{
    public sealed class FaultyHost : IAsyncLifetime
    {
        public StorageFaultPolicy Faults { get; } = new();
        public RunningLocalHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await RunningLocalHost.StartAsync(options =>
            {
                options.RunQueueListeners = false;
                options.RunTimers = false;
                options.ConfigureServices = services => services.AddSingleton(new StorageClientPolicy(Faults));
            });
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    public static TheoryData<StorageFault> Faults =>
        [StorageFault.Status500, StorageFault.Status503, StorageFault.ConnectionRefused, StorageFault.DroppedConnection, StorageFault.Timeout];

    private StorageFaultPolicy Policy => fixture.Faults;

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failed_scim_read_is_503_with_retry_after_and_the_retry_succeeds(StorageFault fault)
    {
        var scim = await NewDirectoryAsync();
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"read-{fault}@example.test" })).Expect(HttpStatusCode.Created);

        Policy.Arm(fault, when: StorageFaultPolicy.TableRows(ScimStorageOptions.DefaultTableName));
        var failed = await scim.GetAsync($"/Users/{user.Id}");

        AssertUnavailable(failed, "application/scim+json");
        (await scim.GetAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failed_scim_write_is_503_changes_nothing_and_the_retry_succeeds(StorageFault fault)
    {
        var scim = await NewDirectoryAsync();
        var body = new JsonObject { ["userName"] = $"write-{fault}@example.test" };

        // Not any $batch: the request log's background flush is one too, and could take the fault.
        Policy.Arm(fault, when: StorageFaultPolicy.TransactionOn(ScimStorageOptions.DefaultTableName));
        var failed = await scim.PostAsync("/Users", body);

        AssertUnavailable(failed, "application/scim+json");
        var listed = (await scim.GetAsync("/Users?filter=" + ScimClient.Filter($"userName eq \"write-{fault}@example.test\""))).Expect(HttpStatusCode.OK);
        Assert.Equal(0, listed.Body!["totalResults"]!.GetValue<int>());
        (await scim.PostAsync("/Users", body)).Expect(HttpStatusCode.Created);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failed_management_read_is_503_json_with_retry_after_and_the_retry_succeeds(StorageFault fault)
    {
        var scim = await NewDirectoryAsync();

        Policy.Arm(fault, when: StorageFaultPolicy.TableRows(new DirectoryOptions().DirectoriesTableName));
        using (var failed = await ManageAsync(HttpMethod.Get, $"/manage/directories/{scim.DirectoryId}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.True(failed.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
            Assert.Equal("application/json", failed.Content.Headers.ContentType?.MediaType);
            var error = JsonNode.Parse(await failed.Content.ReadAsStringAsync())!;
            Assert.Equal("503", error["status"]!.GetValue<string>());
            Assert.Equal(ScimFunctions.Functions.Http.ScimResult.ErrorSchema, error["schemas"]![0]!.GetValue<string>());
        }
        using var retried = await ManageAsync(HttpMethod.Get, $"/manage/directories/{scim.DirectoryId}");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Fact]
    public async Task A_fault_on_a_chosen_call_index_fails_that_request_only()
    {
        var scim = await NewDirectoryAsync();
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "indexed@example.test" })).Expect(HttpStatusCode.Created);
        (await scim.GetAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.OK);

        // With the caches warm, a read of one user is one storage call: the first one from here.
        Policy.ArmCallIndex(StorageFault.Status503, 0);
        AssertUnavailable(await scim.GetAsync($"/Users/{user.Id}"), "application/scim+json");
        (await scim.GetAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Management_and_health_answer_plain_json_and_scim_routes_scim_json()
    {
        var scim = await NewDirectoryAsync();

        using var directory = await ManageAsync(HttpMethod.Get, $"/manage/directories/{scim.DirectoryId}");
        using var roles = await ManageAsync(HttpMethod.Get, $"/manage/directories/{scim.DirectoryId}/roles");
        using var missing = await ManageAsync(HttpMethod.Get, "/manage/directories/nosuchdirectory0000000");
        using var health = await fixture.Host.Client.GetAsync("/health");
        var users = (await scim.GetAsync("/Users")).Expect(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, directory.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        foreach (var response in new[] { directory, roles, missing, health })
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        }
        Assert.Equal("application/scim+json", users.MediaType);
    }

    private static void AssertUnavailable(ScimResponse response, string mediaType)
    {
        response.Expect(HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Message.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        Assert.Equal(mediaType, response.MediaType);
        Assert.NotNull(response.Body);
        Assert.Equal(ScimFunctions.Functions.Http.ScimResult.ErrorSchema, response.Body!["schemas"]![0]!.GetValue<string>());
        Assert.Equal("503", response.Body["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(response.Body["detail"]?.GetValue<string>()));
    }

    private async Task<ScimClient> NewDirectoryAsync()
    {
        Policy.Disarm();
        using var created = await ManageAsync(HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = "Faults", ["provider"] = "Okta" });
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var minted = await ManageAsync(HttpMethod.Post, $"/manage/directories/{id}/tokens", new JsonObject { ["label"] = "faults" });
        var token = JsonNode.Parse(await minted.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
        return new ScimClient(fixture.Host.Client, id, token);
    }

    private async Task<HttpResponseMessage> ManageAsync(HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", fixture.Host.FunctionKey);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await fixture.Host.Client.SendAsync(request);
    }
}
