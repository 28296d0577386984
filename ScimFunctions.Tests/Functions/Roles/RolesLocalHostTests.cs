using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.ChangeFeed;
using ScimFunctions.LocalHost;
using ScimFunctions.Roles;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Roles;

/// <summary>
/// Roles through the local host: HTTP routes, the queue trigger and its host semantics. Waits are bounded and
/// end as soon as the queue-driven result is visible. The recompute queue is shared by every local host the
/// test run starts; any of them handles a message the same way, so the faults here are made by data, not by
/// swapping this host's services. The class runs alone (not beside other tests' hosts): a host stopped while it
/// holds a message keeps it invisible for the listener's lease, which would stretch these bounded waits.
/// </summary>
[Collection(RolesHostCollection.Name)]
public sealed class RolesLocalHostTests
{
    private static readonly TimeSpan BoundedWait = TimeSpan.FromSeconds(120);

    private static Task<RunningLocalHost> StartAsync() => RunningLocalHost.StartAsync(options =>
    {
        options.RunTimers = false;
        options.AdjustHostJson = settings => settings with { VisibilityTimeout = TimeSpan.Zero };
        options.ConfigureServices = services => services.AddSingleton(new ChangeFeedOptions { SettleWindow = TimeSpan.Zero });
    });

    private static HttpRequestMessage Request(RunningLocalHost host, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", host.FunctionKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(RunningLocalHost host, HttpMethod method, string path, object? body = null)
    {
        using var response = await host.Client.SendAsync(Request(host, method, path, body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task<string> CreateDirectoryAsync(RunningLocalHost host)
    {
        var (status, body) = await SendAsync(host, HttpMethod.Post, "/manage/directories", new { displayName = "Roles test", provider = "OneLogin" });
        Assert.Equal(HttpStatusCode.Created, status);
        return body!["id"]!.GetValue<string>();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow + BoundedWait;
        while (true)
        {
            if (await probe() is { } value) return value;
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>A SCIM client for the directory, with a token minted through the management API.</summary>
    private static async Task<ScimClient> ScimClientAsync(RunningLocalHost host, string directoryId)
    {
        var (status, token) = await SendAsync(host, HttpMethod.Post, $"/manage/directories/{directoryId}/tokens", new { label = "roles e2e" });
        Assert.Equal(HttpStatusCode.Created, status);
        return new ScimClient(host.Client, directoryId, token!["token"]!.GetValue<string>());
    }

    private static async Task<string> ScimUserAsync(ScimClient scim, string userName) =>
        (await scim.PostAsync("/Users", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["name"] = new JsonObject { ["givenName"] = "A", ["familyName"] = "B" },
            ["active"] = "true",
        })).Expect(HttpStatusCode.Created).Id;

    private static async Task<string> ScimGroupAsync(ScimClient scim, string displayName) =>
        (await scim.PostAsync("/Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = displayName,
            ["members"] = new JsonArray(),
        })).Expect(HttpStatusCode.Created).Id;

    private static JsonObject MembersOp(string op, params string[] userIds) =>
        new() { ["op"] = op, ["path"] = "members", ["value"] = ScimClient.MemberList(userIds) };

    private static async Task<List<string>> UserRolesAsync(RunningLocalHost host, string directoryId, string userId)
    {
        var (status, body) = await SendAsync(host, HttpMethod.Get, $"/manage/directories/{directoryId}/users/{userId}/roles");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["roles"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()).ToList();
    }

    private static async Task<List<string>> CreateUsersAsync(ScimStore store, string directoryId, int count)
    {
        await store.EnsureTableAsync(); // requests create it on first use; this test writes before any request
        var ids = new List<string>();
        for (var i = 0; i < count; i++) ids.Add((await store.Users.CreateAsync(directoryId, new JsonObject { ["userName"] = $"u{i}@example.com", ["active"] = "true" })).Id);
        return ids;
    }

    [Fact]
    public async Task A_group_membership_change_gives_the_member_the_mapped_role_through_the_queue_and_the_change_feed_shows_it()
    {
        await using var host = await StartAsync();
        var directoryId = await CreateDirectoryAsync(host);
        var scim = await ScimClientAsync(host, directoryId);

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Put, $"/manage/directories/{directoryId}/roles/editor", new { displayName = "Editor" })).Status);
        var users = new List<string> { await ScimUserAsync(scim, "ann@example.com"), await ScimUserAsync(scim, "bob@example.com") };
        var groupId = await ScimGroupAsync(scim, "Content team");
        var (mapped, mapping) = await SendAsync(host, HttpMethod.Post, $"/manage/directories/{directoryId}/role-mappings",
            new { group = new { displayName = "content TEAM" }, roles = new[] { "editor" } });
        Assert.Equal(HttpStatusCode.OK, mapped);
        var (_, start) = await SendAsync(host, HttpMethod.Get, $"/manage/directories/{directoryId}/changes?cursor=now");
        var cursor = start!["cursor"]!.GetValue<string>();

        // OneLogin's membership push; the SCIM layer commits it with the outbox rows and signals the queue.
        Assert.True((await scim.PatchAsync($"/Groups/{groupId}", ScimClient.Patch(MembersOp("add", users[0])))).Status is HttpStatusCode.OK or HttpStatusCode.NoContent);

        var roles = await WaitForAsync(async () => await UserRolesAsync(host, directoryId, users[0]) is { Count: > 0 } r ? r : null, "the member's roles");
        Assert.Equal(["editor"], roles);
        Assert.Empty(await UserRolesAsync(host, directoryId, users[1]));
        var (_, holders) = await SendAsync(host, HttpMethod.Get, $"/manage/directories/{directoryId}/roles/editor/users");
        Assert.Equal([users[0]], holders!["users"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()));

        var (_, feed) = await SendAsync(host, HttpMethod.Get, $"/manage/directories/{directoryId}/changes?cursor={cursor}");
        var changes = feed!["changes"]!.AsArray();
        var membership = changes.Single(c => c!["kind"]!.GetValue<string>() == ChangeLog.MembershipKind);
        Assert.Equal(groupId, membership!["id"]!.GetValue<string>());
        Assert.Equal([users[0]], membership["addedUserIds"]!.AsArray().Select(u => u!.GetValue<string>()));
        var assignment = changes.Single(c => c!["kind"]!.GetValue<string>() == ChangeLog.RolesKind);
        Assert.Equal(users[0], assignment!["id"]!.GetValue<string>());
        Assert.True(changes.IndexOf(membership) < changes.IndexOf(assignment));
        Assert.Equal(mapping!["id"]!.GetValue<string>(), (await SendAsync(host, HttpMethod.Get, $"/manage/directories/{directoryId}/role-mappings")).Body!["mappings"]![0]!["id"]!.GetValue<string>());

        // Suspending the user in OneLogin (active "false") withdraws the role.
        (await scim.PatchAsync($"/Users/{users[0]}", ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = "false" }))).Expect(HttpStatusCode.OK);
        await WaitForAsync(async () => await UserRolesAsync(host, directoryId, users[0]) is { Count: 0 } r ? r : null, "the suspended user's roles to go");
    }

    [Fact]
    public async Task A_user_created_over_SCIM_after_the_default_role_was_set_gets_it_and_shows_in_its_holders_and_the_feed()
    {
        await using var host = await StartAsync();
        var directoryId = await CreateDirectoryAsync(host);
        var scim = await ScimClientAsync(host, directoryId);
        var basePath = $"/manage/directories/{directoryId}";
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Put, $"{basePath}/roles/member", new { displayName = "Member" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Put, $"{basePath}/default-role", new { role = "member" })).Status);
        await WaitForAsync(async () => (await SendAsync(host, HttpMethod.Get, $"{basePath}/roles-health")).Body!["pendingFanOuts"]!.GetValue<int>() == 0 ? "done" : null,
            "the default role's fan-out over no users");

        var userId = await ScimUserAsync(scim, "newcomer@example.com");

        var roles = await WaitForAsync(async () =>
        {
            var (_, body) = await SendAsync(host, HttpMethod.Get, $"{basePath}/users/{userId}/roles");
            return body!["pending"]!.GetValue<bool>() ? null : body;
        }, "the new user's recompute");
        Assert.Equal(["member"], roles["roles"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));
        Assert.Equal(1, roles["version"]!.GetValue<long>());
        var (_, holders) = await SendAsync(host, HttpMethod.Get, $"{basePath}/roles/member/users");
        Assert.Equal([userId], holders!["users"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()));
        var (_, feed) = await SendAsync(host, HttpMethod.Get, $"{basePath}/changes");
        Assert.Contains(feed!["changes"]!.AsArray(), c => c!["kind"]!.GetValue<string>() == ChangeLog.RolesKind && c["id"]!.GetValue<string>() == userId);
    }

    [Fact]
    public async Task Twenty_parallel_group_PATCHes_across_overlapping_groups_end_in_the_assignments_a_fresh_computation_gives()
    {
        await using var host = await StartAsync();
        var directoryId = await CreateDirectoryAsync(host);
        var store = host.Services.GetRequiredService<ScimStore>();
        var scim = await ScimClientAsync(host, directoryId);
        var roleStore = host.Services.GetRequiredService<RoleStore>();
        foreach (var key in new[] { "a", "b", "c", "d" }) await roleStore.PutRoleAsync(directoryId, new RoleDefinition(key, key, null), CancellationToken.None);
        var users = await CreateUsersAsync(store, directoryId, 24);
        var groups = new List<string>();
        for (var i = 0; i < 4; i++) groups.Add(await ScimGroupAsync(scim, $"G{i}"));
        var mapping = new Dictionary<string, string[]> { [groups[0]] = ["a"], [groups[1]] = ["a", "b"], [groups[2]] = ["c"], [groups[3]] = ["d", "b"] };
        foreach (var (groupId, roles) in mapping) await roleStore.PutMappingAsync(directoryId, GroupMatch.Id, groupId, roles, CancellationToken.None);

        var random = new Random(6);
        var changes = Enumerable.Range(0, 20).Select(i =>
        {
            var group = groups[i % groups.Count];
            var picked = users.OrderBy(_ => random.Next()).Take(8).ToArray();
            var patch = (i % 3) switch
            {
                0 => ScimClient.Patch(MembersOp("add", picked)),
                1 => ScimClient.Patch(MembersOp("add", picked[..5]), MembersOp("remove", picked[5..])),
                _ => ScimClient.Patch(MembersOp("replace", picked[..6])),
            };
            return (group, patch);
        }).ToList();
        await Task.WhenAll(changes.Select(async change =>
        {
            var response = await scim.PatchAsync($"/Groups/{change.group}", change.patch);
            Assert.True(response.Status is HttpStatusCode.NoContent or HttpStatusCode.OK, $"PATCH answered {(int)response.Status}: {response.Body?.ToJsonString()}");
        }));

        var table = new TableServiceClient(TestStorage.ConnectionString).GetTableClient(ScimStorageOptions.DefaultTableName);
        var partition = PartitionLayout.Partition(directoryId);
        await WaitForAsync(async () =>
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(KeyRange.Between(partition, PartitionLayout.OutboxPrefix, PartitionLayout.PrefixEnd(PartitionLayout.OutboxPrefix)), maxPerPage: 1)) return null;
            return "drained";
        }, "every outbox row to be cleared");

        foreach (var user in users)
        {
            var expected = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var membership in await store.Memberships.ListGroupsOfUserAsync(directoryId, user)) expected.UnionWith(mapping[membership.Id]);
            var assignment = await roleStore.GetAssignmentAsync(directoryId, user, CancellationToken.None);
            Assert.Equal(expected.ToList(), assignment?.Roles ?? []);
        }
        var (_, health) = await SendAsync(host, HttpMethod.Get, $"/manage/directories/{directoryId}/roles-health");
        Assert.Equal(0, health!["pendingUsers"]!.GetValue<int>());
        Assert.Equal(0, health["poisonedMessages"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_the_signal_after_a_committed_change_fails_the_sweep_heals_it()
    {
        await using var host = await StartAsync();
        var directoryId = await CreateDirectoryAsync(host);
        var store = host.Services.GetRequiredService<ScimStore>();
        var roleStore = host.Services.GetRequiredService<RoleStore>();
        await roleStore.PutRoleAsync(directoryId, new RoleDefinition("viewer", "Viewer", null), CancellationToken.None);
        var users = await CreateUsersAsync(store, directoryId, 1);
        var group = await store.Groups.CreateAsync(directoryId, new JsonObject { ["displayName"] = "Viewers" });
        await roleStore.PutMappingAsync(directoryId, GroupMatch.Id, group.Id, ["viewer"], CancellationToken.None);

        await store.Memberships.ApplyAsync(directoryId, group.Id, MembershipChange.Add(users[0]));
        var unreachable = new QueueServiceClient("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;",
            new QueueClientOptions { Retry = { MaxRetries = 0 } });
        var brokenSignal = new QueueRoleRecomputeSignal(new RoleRecomputeQueue(unreachable));
        await Assert.ThrowsAnyAsync<Exception>(() => brokenSignal.SignalUsersAsync(directoryId, [users[0]], CancellationToken.None));

        var sweeper = host.Services.GetRequiredService<OutboxSweeper>();
        var options = host.Services.GetRequiredService<RoleOptions>();
        Assert.Equal(0, await sweeper.SweepDirectoryAsync(directoryId, options.SweepAge, CancellationToken.None)); // too fresh to sweep yet
        Assert.Empty(await UserRolesAsync(host, directoryId, users[0]));
        Assert.True((await SendAsync(host, HttpMethod.Get, $"/manage/directories/{directoryId}/users/{users[0]}/roles")).Body!["pending"]!.GetValue<bool>());

        // Minutes later, the timer's sweep finds the row old enough (here: any age).
        // The user's outbox row, and the group fan-out row the mapping wrote (this test never signalled it either).
        Assert.Equal(2, await sweeper.SweepDirectoryAsync(directoryId, TimeSpan.Zero, CancellationToken.None));
        var roles = await WaitForAsync(async () => await UserRolesAsync(host, directoryId, users[0]) is { Count: > 0 } r ? r : null, "the healed recompute");
        Assert.Equal(["viewer"], roles);
    }

    [Fact]
    public async Task A_recompute_that_always_fails_ends_in_the_poison_queue_after_maxDequeueCount_tries_and_shows_in_health()
    {
        await using var host = await StartAsync();
        var directoryId = await CreateDirectoryAsync(host);
        var store = host.Services.GetRequiredService<ScimStore>();
        var users = await CreateUsersAsync(store, directoryId, 1);
        // An unreadable mapping: every host's handler refuses to guess roles from it and fails.
        var table = new TableServiceClient(TestStorage.ConnectionString).GetTableClient(ScimStorageOptions.DefaultTableName);
        await table.UpsertEntityAsync(new TableEntity(PartitionLayout.Partition(directoryId), PartitionLayout.GroupIdMapping(PartitionLayout.NewId())) { ["Roles"] = "{not a list" });

        await store.Users.UpdateAsync(directoryId, users[0], user => { user["active"] = false; return user; }); // writes the outbox row
        await host.Services.GetRequiredService<IRoleRecomputeSignal>().SignalUsersAsync(directoryId, users, CancellationToken.None);

        var health = await WaitForAsync(async () =>
        {
            var (_, body) = await SendAsync(host, HttpMethod.Get, $"/manage/directories/{directoryId}/roles-health");
            return body!["poisonedMessages"]!.GetValue<int>() > 0 ? body : null;
        }, "the failure to be recorded");
        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        Assert.Equal(1, health["poisonedMessages"]!.GetValue<int>());
        Assert.Contains("InvalidDataException", health["lastPoisonReason"]!.GetValue<string>());
        Assert.Equal(1, health["pendingUsers"]!.GetValue<int>()); // the outbox row stays for the sweep once the data is fixed

        var poison = StorageClients.CreateQueueServiceClient(TestStorage.Configuration()).GetQueueClient(RoleQueues.RecomputePoison);
        await WaitForAsync(async () =>
        {
            var peeked = (await poison.PeekMessagesAsync(32)).Value;
            return peeked.Any(m => m.Body.ToString().Contains(directoryId, StringComparison.Ordinal)) ? "found" : null;
        }, "the message in the poison queue");
        Assert.True(health["poisonQueueDepthAllDirectories"]!.GetValue<int>() >= 0);
    }

    [Fact]
    public void The_recompute_handler_knows_the_last_try_from_the_same_maxDequeueCount_as_host_json()
    {
        var hostJson = HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));
        Assert.Equal(hostJson.MaxDequeueCount, new RoleOptions().MaxDequeueCount);
    }

    [Fact]
    public async Task Bad_management_input_is_a_scim_error_and_changes_nothing()
    {
        await using var host = await StartAsync();
        var directoryId = await CreateDirectoryAsync(host);
        var basePath = $"/manage/directories/{directoryId}";

        var (status, error) = await SendAsync(host, HttpMethod.Put, $"{basePath}/roles/bad%20key", new { displayName = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("400", error!["status"]!.GetValue<string>());
        Assert.Equal("invalidValue", error["scimType"]!.GetValue<string>());
        Assert.Equal(ScimFunctions.Functions.Http.ScimResult.ErrorSchema, error["schemas"]![0]!.GetValue<string>());

        (status, error) = await SendAsync(host, HttpMethod.Post, $"{basePath}/role-mappings", new { group = new { displayName = "Sales" }, roles = new[] { "ghost" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("400", error!["status"]!.GetValue<string>());
        Assert.Empty((await SendAsync(host, HttpMethod.Get, $"{basePath}/role-mappings")).Body!["mappings"]!.AsArray());

        (status, _) = await SendAsync(host, HttpMethod.Put, $"{basePath}/default-role", new { role = "ghost" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null((await SendAsync(host, HttpMethod.Get, $"{basePath}/roles")).Body!["defaultRole"]);

        (status, _) = await SendAsync(host, HttpMethod.Get, $"{basePath}/changes?cursor=forged");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await SendAsync(host, HttpMethod.Get, $"{basePath}/changes?cursor={RoleHolderCursor.Encode(directoryId, PartitionLayout.NewId())}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, error) = await SendAsync(host, HttpMethod.Get, $"{basePath}/roles/editor/users?cursor={PartitionLayout.NewId()}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalidCursor", error!["scimType"]!.GetValue<string>());
        (status, _) = await SendAsync(host, HttpMethod.Get, $"{basePath}/roles/editor/users?cursor={RoleHolderCursor.Encode("anotherDirectory", PartitionLayout.NewId())}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await SendAsync(host, HttpMethod.Get, $"{basePath}/roles/editor/users?cursor={RoleHolderCursor.Encode(directoryId, PartitionLayout.NewId())}");
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await SendAsync(host, HttpMethod.Get, $"/manage/directories/{Guid.NewGuid():N}/roles");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await SendAsync(host, HttpMethod.Get, $"{basePath}/users/{PartitionLayout.NewId()}/roles");
        Assert.Equal(HttpStatusCode.NotFound, status);

        using var anonymous = await host.Client.GetAsync($"{basePath}/roles");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RolesHostCollection
{
    public const string Name = "Roles through the local host";
}
