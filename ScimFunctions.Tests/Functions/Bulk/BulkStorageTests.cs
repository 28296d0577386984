using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ScimFunctions.LocalHost;
using ScimFunctions.Roles;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Storage;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Bulk;

/// <summary>A bulk request against storage: its calls are those of its operations' routes. An outage in the middle: what finished stays done, the operation that met the
/// outage reports 503, the rest runs or not as failOnErrors says, and the request itself is never a 500.</summary>
public sealed class BulkStorageTests : IAsyncLifetime
{
    private const string Victim = "outage-victim@example.test";
    private readonly StorageFaultPolicy faults = new();
    // Its own storage: with no listener here, its outbox rows and recompute messages stay for the tests to read
    // (another host's listener on a shared Azurite could take them).
    private readonly AzuriteProcess storage = TestAzurite.StartPrivate();
    private RunningLocalHost host = null!;
    private string directoryId = null!;
    private ScimClient scim = null!;

    public async Task InitializeAsync()
    {
        host = await RunningLocalHost.StartAsync(options =>
        {
            options.Settings["AzureWebJobsStorage"] = storage.ConnectionString;
            options.RunTimers = false;
            options.RunQueueListeners = false;
            options.ConfigureServices = services => services.AddSingleton(new StorageClientPolicy(faults));
        });
        var directory = await ManageAsync("/manage/directories", new { displayName = "Bulk outage", provider = "Okta" });
        directoryId = directory["id"]!.GetValue<string>();
        var token = await ManageAsync($"/manage/directories/{directoryId}/tokens", new { label = "bulk" });
        scim = new ScimClient(host.Client, directoryId, token["token"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        storage.Stop();
    }

    private async Task<JsonNode> ManageAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("x-functions-key", host.FunctionKey);
        using var response = await host.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>The write transaction that would store the victim user.</summary>
    private static bool WritesVictim(Request request)
    {
        if (!request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) || request.Content is null) return false;
        using var body = new MemoryStream();
        request.Content.WriteTo(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains(Victim, StringComparison.OrdinalIgnoreCase);
    }

    private static JsonObject Request(int? failOnErrors)
    {
        var request = new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest") };
        if (failOnErrors is not null) request["failOnErrors"] = failOnErrors;
        request["Operations"] = new JsonArray(
            new JsonObject { ["method"] = "POST", ["path"] = "/Users", ["bulkId"] = "before", ["data"] = new JsonObject { ["userName"] = $"before{failOnErrors}@example.test" } },
            new JsonObject { ["method"] = "POST", ["path"] = "/Users", ["bulkId"] = "victim", ["data"] = new JsonObject { ["userName"] = Victim } },
            new JsonObject { ["method"] = "POST", ["path"] = "/Users", ["bulkId"] = "after", ["data"] = new JsonObject { ["userName"] = $"after{failOnErrors}@example.test" } });
        return request;
    }

    private async Task<IReadOnlyList<string>> UserNamesAsync() =>
        (await scim.GetAsync("/Users")).Expect(HttpStatusCode.OK).Body!["Resources"]!.AsArray()
            .Select(user => user!["userName"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task A_bulk_request_makes_the_storage_calls_of_its_operations_routes_and_no_more()
    {
        // Only the SCIM data table's calls: the request log's timed flushes go to another table.
        var dataCalls = 0;
        var isData = StorageFaultPolicy.TableRows(ScimStorageOptions.DefaultTableName);
        var isDataTransaction = StorageFaultPolicy.TransactionOn(ScimStorageOptions.DefaultTableName);
        faults.Arm(StorageFault.Status503, times: int.MaxValue, when: request =>
        {
            if (isData(request) || isDataTransaction(request)) Interlocked.Increment(ref dataCalls);
            return false;
        });
        (await scim.GetAsync("/Users?count=1")).Expect(HttpStatusCode.OK);
        var before = dataCalls;
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "route-user@example.test" })).Expect(HttpStatusCode.Created);
        (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Route group", ["members"] = ScimClient.MemberList(user.Id) })).Expect(HttpStatusCode.Created);
        (await scim.PatchAsync($"/Users/{user.Id}", ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "R" }),
            request => request.Headers.Add("Prefer", "return=minimal"))).Expect(HttpStatusCode.NoContent);
        var viaRoutes = dataCalls - before;

        before = dataCalls;
        var bulk = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest"),
            ["Operations"] = new JsonArray(
                new JsonObject { ["method"] = "POST", ["path"] = "/Users", ["bulkId"] = "u", ["data"] = new JsonObject { ["userName"] = "bulk-user@example.test" } },
                new JsonObject { ["method"] = "POST", ["path"] = "/Groups", ["bulkId"] = "g", ["data"] = new JsonObject { ["displayName"] = "Bulk group", ["members"] = ScimClient.MemberList("bulkId:u") } },
                new JsonObject { ["method"] = "PATCH", ["path"] = "/Users/bulkId:u", ["data"] = ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "B" }) }),
        };
        var results = (await scim.PostAsync("/Bulk", bulk)).Expect(HttpStatusCode.OK).Body!["Operations"]!.AsArray();
        Assert.Equal(["201", "201", "200"], results.Select(r => r!["status"]!.GetValue<string>()));
        // The very calls of the same commands: running them in one request adds none and skips none.
        Assert.Equal(viaRoutes, dataCalls - before);
        Assert.Equal(0, faults.Injected);
    }

    [Fact]
    public async Task A_bulk_operation_records_the_outbox_row_and_sends_the_recompute_its_route_does()
    {
        var table = new TableClient(storage.ConnectionString, ScimStorageOptions.DefaultTableName);
        var queue = new QueueClient(storage.ConnectionString, RoleQueues.Recompute, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var partition = PartitionLayout.Partition(directoryId);
        async Task<List<string>> OutboxUsersAsync()
        {
            var keys = new List<string>();
            await foreach (var row in table.QueryAsync<TableEntity>(KeyRange.Under(partition, PartitionLayout.OutboxPrefix), select: ["RowKey"])) keys.Add(row.RowKey[PartitionLayout.OutboxPrefix.Length..]);
            return keys;
        }
        var viaRoute = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "outbox-route@example.test" })).Expect(HttpStatusCode.Created).Id;
        var viaBulk = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "outbox-bulk@example.test" })).Expect(HttpStatusCode.Created).Id;
        var bystander = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "outbox-none@example.test" })).Expect(HttpStatusCode.Created).Id;
        // The creates' own rows and prompts aside: only the membership changes' count.
        foreach (var userId in await OutboxUsersAsync()) await table.DeleteEntityAsync(partition, PartitionLayout.Outbox(userId));
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();

        (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Outbox route", ["members"] = ScimClient.MemberList(viaRoute) })).Expect(HttpStatusCode.Created);
        var results = (await scim.PostAsync("/Bulk", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest"),
            ["Operations"] = new JsonArray(new JsonObject { ["method"] = "POST", ["path"] = "/Groups", ["bulkId"] = "g", ["data"] = new JsonObject { ["displayName"] = "Outbox bulk", ["members"] = ScimClient.MemberList(viaBulk) } }),
        })).Expect(HttpStatusCode.OK).Body!["Operations"]!.AsArray();
        Assert.Equal(["201"], results.Select(r => r!["status"]!.GetValue<string>()));

        // Each member of each new group is pending and prompted, the one of the bulk as the one of the route.
        Assert.Equal(new[] { viaRoute, viaBulk }.Order(StringComparer.Ordinal), (await OutboxUsersAsync()).Order(StringComparer.Ordinal));
        var prompted = (await queue.PeekMessagesAsync(32)).Value
            .Select(message => RoleRecomputeMessage.Parse(message.Body.ToString()))
            .Where(message => message.DirectoryId == directoryId && message.Scope == RecomputeScope.Users)
            .SelectMany(message => message.UserIds ?? []).ToList();
        Assert.Contains(viaRoute, prompted);
        Assert.Contains(viaBulk, prompted);
        Assert.DoesNotContain(bystander, prompted);
    }

    [Fact]
    public async Task The_operation_meeting_the_outage_is_503_and_the_others_run()
    {
        faults.Arm(StorageFault.Status503, when: WritesVictim);
        var response = (await scim.PostAsync("/Bulk", Request(null))).Expect(HttpStatusCode.OK);
        var results = response.Body!["Operations"]!.AsArray();

        Assert.Equal(1, faults.Injected);
        Assert.Equal(["201", "503", "201"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal("503", results[1]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal(["after@example.test", "before@example.test"], await UserNamesAsync());
    }

    [Fact]
    public async Task With_failOnErrors_1_nothing_runs_after_the_outage_and_what_ran_stays()
    {
        faults.Arm(StorageFault.ConnectionRefused, when: WritesVictim);
        var response = (await scim.PostAsync("/Bulk", Request(1))).Expect(HttpStatusCode.OK);
        var results = response.Body!["Operations"]!.AsArray();

        Assert.Equal(["201", "503"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(["before1@example.test"], await UserNamesAsync());

        // Nothing of the victim was left half-written (no stray uniqueness row): with storage healthy it is created.
        var retried = (await scim.PostAsync("/Bulk", Request(null))).Expect(HttpStatusCode.OK).Body!["Operations"]!.AsArray();
        Assert.Equal(["201", "201", "201"], retried.Select(r => r!["status"]!.GetValue<string>()));
    }
}
