using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Roles;
using ScimFunctions.Storage;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Roles;

/// <summary>
/// The app read API through the local host: users looked up by login, externalId and email with their roles and
/// groups, every user paged with its roles, a group with its mapped roles. Queue listeners are off and roles are
/// recomputed in the test, so the roles read are exactly those the mappings give. Storage faults are injected
/// into the host's own clients (inert until armed).
/// </summary>
public sealed class AppReadFunctionsTests : IAsyncLifetime
{
    private readonly StorageFaultPolicy faults = new();
    private RunningLocalHost host = null!;
    private string directoryId = null!;
    private ScimClient scim = null!;

    public async Task InitializeAsync()
    {
        host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunTimers = false;
            options.RunQueueListeners = false;
            options.ConfigureServices = services => services.AddSingleton(new StorageClientPolicy(faults));
        });
        var (created, directory) = await SendAsync("/manage/directories", HttpMethod.Post, new { displayName = "App read test", provider = "OneLogin" });
        Assert.Equal(HttpStatusCode.Created, created);
        directoryId = directory!["id"]!.GetValue<string>();
        var (minted, token) = await SendAsync($"/manage/directories/{directoryId}/tokens", HttpMethod.Post, new { label = "app read" });
        Assert.Equal(HttpStatusCode.Created, minted);
        scim = new ScimClient(host.Client, directoryId, token!["token"]!.GetValue<string>());
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(string path, HttpMethod? method = null, object? body = null) =>
        (await SendWithHeadersAsync(path, method, body)).Result;

    private async Task<((HttpStatusCode Status, JsonNode? Body) Result, TimeSpan? RetryAfter)> SendWithHeadersAsync(string path, HttpMethod? method = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", host.FunctionKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length > 0) Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ((response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)), response.Headers.RetryAfter?.Delta);
    }

    private string Manage(string rest) => $"/manage/directories/{directoryId}{rest}";

    private async Task<string> UserAsync(string userName, string? externalId = null, string? email = null)
    {
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["active"] = true,
        };
        if (externalId is not null) user["externalId"] = externalId;
        if (email is not null) user["emails"] = new JsonArray(new JsonObject { ["value"] = email, ["type"] = "work", ["primary"] = true });
        return (await scim.PostAsync("/Users", user)).Expect(HttpStatusCode.Created).Id;
    }

    /// <summary>A group "Editors" holding <paramref name="members"/>, mapped to the role "editor"; roles recomputed.</summary>
    private async Task<string> EditorsAsync(IReadOnlyCollection<string> members, IReadOnlyCollection<string> everyone)
    {
        var groupId = (await scim.PostAsync("/Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = "Editors",
            ["members"] = ScimClient.MemberList([.. members]),
        })).Expect(HttpStatusCode.Created).Id;
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(Manage("/roles/editor"), HttpMethod.Put, new { displayName = "Editor" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Manage("/role-mappings"), HttpMethod.Post, new { group = new { id = groupId }, roles = new[] { "editor" } })).Status);
        await host.Services.GetRequiredService<IRoleRecomputer>().RecomputeAsync(directoryId, everyone, CancellationToken.None);
        return groupId;
    }

    private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_directory_created_now_is_known_email_indexed_so_its_email_look_ups_never_scan()
    {
        var directory = await host.Services.GetRequiredService<ScimFunctions.Directories.DirectoryStore>().GetAsync(directoryId, CancellationToken.None);
        Assert.True(directory!.EmailIndexedFromStart);
    }

    [Fact]
    public async Task Too_many_users_from_before_the_email_index_make_an_email_look_up_400_tooMany()
    {
        var template = await UserAsync("template@example.com", email: "template@example.com");
        var table = host.Services.GetRequiredService<Azure.Data.Tables.TableServiceClient>()
            .GetTableClient(host.Services.GetRequiredService<ScimStorageOptions>().TableName);
        var partition = PartitionLayout.Partition(directoryId);
        // As a directory created before the email index.
        await host.Services.GetRequiredService<ScimFunctions.Directories.DirectoryStore>().UpdateAsync(directoryId, d => d with { EmailIndexedFromStart = false }, CancellationToken.None);
        var entity = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(partition, PartitionLayout.Document(ResourceKind.User, template))).Value;
        entity.Remove(ResourceEntityMapper.IndexedEmailsProperty);
        foreach (var chunk in Enumerable.Range(0, 2_100).Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(_ => new Azure.Data.Tables.TableTransactionAction(Azure.Data.Tables.TableTransactionActionType.Add,
                new Azure.Data.Tables.TableEntity(entity) { RowKey = PartitionLayout.Document(ResourceKind.User, PartitionLayout.NewId()) })));
        }

        var (status, body) = await SendAsync(Manage("/users/lookup?email=template%40example.com"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("tooMany", body!["scimType"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Manage("/users/lookup?userName=template%40example.com"))).Status);
    }

    [Fact]
    public async Task A_user_is_found_by_userName_externalId_and_email_with_its_roles_and_groups()
    {
        var ann = await UserAsync("Ann@Example.com", externalId: "okta-ann", email: "ann.work@example.com");
        var bob = await UserAsync("bob@example.com", externalId: "okta-bob");
        var groupId = await EditorsAsync([ann], [ann, bob]);

        foreach (var query in new[] { "userName=ann%40example.COM", "externalId=okta-ann", "email=ANN.work%40example.com" })
        {
            var (status, body) = await SendAsync(Manage($"/users/lookup?{query}"));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(ann, body!["id"]!.GetValue<string>());
            Assert.Equal("Ann@Example.com", body["userName"]!.GetValue<string>());
            Assert.Equal("okta-ann", body["externalId"]!.GetValue<string>());
            Assert.Equal(["editor"], Strings(body["roles"]));
            var group = Assert.Single(body["groups"]!.AsArray());
            Assert.Equal(groupId, group!["id"]!.GetValue<string>());
            Assert.Equal("Editors", group["displayName"]!.GetValue<string>());
        }

        var (bobStatus, bobBody) = await SendAsync(Manage("/users/lookup?externalId=okta-bob"));
        Assert.Equal(HttpStatusCode.OK, bobStatus);
        Assert.Equal(bob, bobBody!["id"]!.GetValue<string>());
        Assert.Empty(bobBody["roles"]!.AsArray());
        Assert.Empty(bobBody["groups"]!.AsArray());
    }

    [Fact]
    public async Task A_lookup_answers_404_for_nobody_409_for_a_shared_value_and_400_for_bad_input()
    {
        await UserAsync("one@example.com", externalId: "shared", email: "team@example.com");
        await UserAsync("two@example.com", externalId: "shared", email: "team@example.com");

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Manage("/users/lookup?userName=nobody"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Manage("/users/lookup?externalId=nobody"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Manage("/users/lookup?email=nobody%40example.com"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync("/manage/directories/no-such-directory/users/lookup?userName=one%40example.com")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(Manage("/users/lookup?externalId=shared"))).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(Manage("/users/lookup?email=team%40example.com"))).Status);
        foreach (var bad in new[] { "", "?userName=", "?userName=a&externalId=b", "?userName=a&userName=b", "?userName=" + new string('x', 1025), "?name=a" })
        {
            var (status, body) = await SendAsync(Manage("/users/lookup" + bad));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("400", body!["status"]!.ToString());
        }
    }

    [Fact]
    public async Task Every_user_is_paged_once_with_its_roles()
    {
        var users = new List<string>();
        for (var i = 0; i < 5; i++) users.Add(await UserAsync($"user{i}@example.com"));
        await EditorsAsync([users[1], users[3]], users);

        var seen = new Dictionary<string, List<string>>();
        string? cursor = "";
        var pages = 0;
        while (cursor is not null)
        {
            var (status, body) = await SendAsync(Manage($"/users?count=2&cursor={Uri.EscapeDataString(cursor)}"));
            Assert.Equal(HttpStatusCode.OK, status);
            foreach (var user in body!["users"]!.AsArray()) seen.Add(user!["id"]!.GetValue<string>(), Strings(user["roles"]));
            cursor = body["nextCursor"]?.GetValue<string>();
            Assert.True(++pages <= 3, "5 users in pages of 2 take 3 pages");
        }
        Assert.Equal(users.Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
        Assert.All(users, id => Assert.Equal(id == users[1] || id == users[3] ? ["editor"] : new List<string>(), seen[id]));

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(Manage("/users?count=0"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(Manage("/users?count=201"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(Manage("/users?cursor=not-a-cursor"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync("/manage/directories/no-such-directory/users")).Status);
    }

    [Fact]
    public async Task A_group_is_read_with_its_mapped_roles()
    {
        var ann = await UserAsync("ann@example.com");
        var groupId = await EditorsAsync([ann], [ann]);

        var (status, body) = await SendAsync(Manage($"/groups/{groupId}"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(groupId, body!["id"]!.GetValue<string>());
        Assert.Equal("Editors", body["displayName"]!.GetValue<string>());
        Assert.Equal(["editor"], Strings(body["roles"]));

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Manage("/groups/0123456789abcdef0123456789abcdef"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Manage("/groups/not-an-id"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync($"/manage/directories/no-such-directory/groups/{groupId}")).Status);
    }

    [Theory]
    [InlineData("/users/lookup?userName=fault%40example.com")]
    [InlineData("/users/lookup?email=fault%40example.com")]
    [InlineData("/users?count=10")]
    public async Task A_storage_failure_is_503_with_retry_after_and_the_retry_succeeds(string route)
    {
        await UserAsync("fault@example.com", email: "fault@example.com");

        faults.Arm(StorageFault.Status503, when: StorageFaultPolicy.TableRows(ScimStorageOptions.DefaultTableName));
        var ((status, body), retryAfter) = await SendWithHeadersAsync(Manage(route));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(retryAfter > TimeSpan.Zero, "Retry-After is missing");
        Assert.Equal("503", body!["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Manage(route))).Status);
    }
}
