using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Activity;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Webhooks;

/// <summary>One local host with queue listeners running and short webhook delays, delivering to receivers on loopback.</summary>
public sealed class WebhookHostFixture : IAsyncLifetime
{
    public RunningLocalHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunTimers = false;
            options.Settings["Webhooks__SettleWindow"] = "00:00:00.300";
            options.Settings["Webhooks__LateCommitMargin"] = "00:00:00.100";
            options.Settings["Webhooks__BaseRetryDelay"] = "00:00:00.200";
            options.Settings["Webhooks__MaxRetryDelay"] = "00:00:01";
            options.Settings["Webhooks__RequestTimeout"] = "00:00:05";
            options.Settings["Webhooks__LeaseDuration"] = "00:00:10";
            options.Settings["Webhooks__PromptInterval"] = "00:00:00.100";
        });
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public async Task<JsonNode> ManageAsync(HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        request.Headers.Add("x-functions-key", Host.FunctionKey);
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async Task<ScimClient> NewDirectoryAsync()
    {
        var directory = await ManageAsync(HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = "Webhooks", ["provider"] = "Okta" });
        var id = directory["id"]!.GetValue<string>();
        var token = await ManageAsync(HttpMethod.Post, $"/manage/directories/{id}/tokens", new JsonObject { ["label"] = "webhooks" });
        return new ScimClient(Host.Client, id, token["token"]!.GetValue<string>());
    }

    /// <summary>An endpoint for <paramref name="url"/> covering one directory; returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> NewEndpointAsync(string url, string directoryId, params string[] events)
    {
        var body = new JsonObject { ["url"] = url, ["directories"] = new JsonArray(directoryId) };
        if (events.Length > 0) body["events"] = new JsonArray([.. events.Select(e => (JsonNode)e)]);
        var created = await ManageAsync(HttpMethod.Post, "/manage/webhooks", body);
        return (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookHostFixture>
{
    public const string Name = "Webhooks";
}

[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookHostFixture fixture)
{
    private static JsonObject User(string userName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
        ["active"] = true,
    };

    [Fact]
    public async Task Every_event_type_arrives_signed_in_order_after_the_scim_calls()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scim = await fixture.NewDirectoryAsync();
        var (_, secret) = await fixture.NewEndpointAsync(receiver.Url, scim.DirectoryId);

        var user = (await scim.PostAsync("/Users", User("ada@example.com"))).Expect(System.Net.HttpStatusCode.Created).Id;
        var group = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Engineers" })).Expect(System.Net.HttpStatusCode.Created).Id;
        await scim.PatchAsync($"/Groups/{group}", ScimClient.Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = ScimClient.MemberList(user) }));
        await scim.PatchAsync($"/Users/{user}", ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "Ada" }));
        await scim.PatchAsync($"/Groups/{group}", ScimClient.Patch(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{user}\"]" }));
        await scim.PatchAsync($"/Groups/{group}", ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "Engineering" }));
        await scim.DeleteAsync($"/Groups/{group}");
        await scim.DeleteAsync($"/Users/{user}");

        string[] expected = ["user.created", "group.created", "group.user_added", "user.updated", "group.user_removed", "group.updated", "group.deleted", "user.deleted"];
        var received = await receiver.WaitForAsync(r => expected.All(t => r.Any(w => w.Type == t)));
        var firstOfEach = received.DistinctBy(r => r.Id).Where(r => expected.Contains(r.Type)).Select(r => r.Type).Distinct().ToList();
        Assert.Equal(expected, firstOfEach);
        Assert.All(received, r => Assert.True(r.VerifiesWith(secret), $"{r.Type} is not signed with the endpoint's secret"));
        Assert.All(received, r => Assert.Equal(scim.DirectoryId, r.Json["directoryId"]!.GetValue<string>()));
        var created = received.First(r => r.Type == "user.created").Json["data"]!;
        Assert.Equal(user, created["userId"]!.GetValue<string>());
        Assert.Equal(received.First(r => r.Type == "user.created").Id, received.First(r => r.Type == "user.created").Json["id"]!.GetValue<string>());
        Assert.False(received[0].VerifiesWith("whsec_" + Convert.ToBase64String(new byte[32])));
    }

    [Fact]
    public async Task A_groups_payload_carries_the_roles_its_mappings_give_and_never_the_default_role()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scim = await fixture.NewDirectoryAsync();
        var roles = $"/manage/directories/{scim.DirectoryId}";
        await fixture.ManageAsync(HttpMethod.Put, roles + "/roles/viewer", new JsonObject { ["displayName"] = "Viewer" });
        await fixture.ManageAsync(HttpMethod.Put, roles + "/roles/editor", new JsonObject { ["displayName"] = "Editor" });
        await fixture.ManageAsync(HttpMethod.Put, roles + "/default-role", new JsonObject { ["role"] = "viewer" });
        await fixture.ManageAsync(HttpMethod.Post, roles + "/role-mappings", new JsonObject
        {
            ["group"] = new JsonObject { ["displayName"] = "Editors" }, ["roles"] = new JsonArray("editor"),
        });
        await fixture.NewEndpointAsync(receiver.Url, scim.DirectoryId, "group.created");

        var unmapped = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Lunch club" })).Expect(System.Net.HttpStatusCode.Created).Id;
        var mapped = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Editors" })).Expect(System.Net.HttpStatusCode.Created).Id;

        var received = await receiver.WaitForAsync(r => r.Count(w => w.Type == "group.created") >= 2);
        JsonNode Group(string id) => received.First(r => r.Type == "group.created" && r.Json["data"]!["groupId"]!.GetValue<string>() == id).Json["data"]!["group"]!;
        Assert.True(Group(unmapped)["roles"]!.AsArray().Count == 0, Group(unmapped).ToJsonString());
        Assert.Equal(["editor"], Group(mapped)["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Each_change_of_connection_state_arrives_once_as_a_directory_event()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scim = await fixture.NewDirectoryAsync();
        var (_, secret) = await fixture.NewEndpointAsync(receiver.Url, scim.DirectoryId, "directory.connected", "directory.failing");
        var wrongToken = new ScimClient(fixture.Host.Client, scim.DirectoryId, "not-this-directorys-token");

        await scim.GetAsync("/Users");
        await fixture.Host.FlushAsync();
        await receiver.WaitForAsync(r => r.Count >= 1);
        for (var i = 0; i < 3; i++) await wrongToken.GetAsync("/Users"); // 3 errors of 4 recent requests: failing
        await fixture.Host.FlushAsync();
        await receiver.WaitForAsync(r => r.Count >= 2);
        for (var i = 0; i < 4; i++) await scim.GetAsync("/Users"); // 3 of 8: connected again
        await fixture.Host.FlushAsync();
        await receiver.WaitForAsync(r => r.Count >= 3);
        await scim.GetAsync("/Users"); // still connected: no event
        await fixture.Host.FlushAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var received = receiver.Received.ToList();
        Assert.Equal(["directory.connected", "directory.failing", "directory.connected"], received.Select(r => r.Type));
        Assert.Equal(3, received.Select(r => r.Id).Distinct().Count());
        Assert.Equal(["connected", "failing", "connected"], received.Select(r => r.Json["data"]!["connection"]!.GetValue<string>()));
        Assert.All(received, r => Assert.Equal(scim.DirectoryId, r.Json["directoryId"]!.GetValue<string>()));
        Assert.All(received, r => Assert.True(r.VerifiesWith(secret)));
        var (changes, _) = await fixture.Host.Services.GetRequiredService<ChangeLogStore>().ReadAsync(
            scim.DirectoryId, null, PartitionLayout.ChangeFloor(DateTimeOffset.UtcNow.AddMinutes(1)), 100, CancellationToken.None);
        Assert.Equal(["connected", "failing", "connected"], changes.Where(c => c.Entry.Kind == ChangeLog.DirectoryKind).Select(c => c.Entry.Operation));
    }

    [Fact]
    public async Task A_500_is_retried_with_backoff_and_the_event_delivered_with_the_same_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var answered = 0;
        receiver.Answer = _ => Interlocked.Increment(ref answered) == 1 ? 500 : 200;
        var scim = await fixture.NewDirectoryAsync();
        var (endpointId, secret) = await fixture.NewEndpointAsync(receiver.Url, scim.DirectoryId, "user.created");

        await scim.PostAsync("/Users", User("grace@example.com"));

        var received = await receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.True(received[1].VerifiesWith(secret));
        var log = await fixture.ManageAsync(HttpMethod.Get, $"/manage/webhooks/{endpointId}/deliveries");
        var statuses = log["attempts"]!.AsArray().Select(a => a!["statusCode"]!.GetValue<int>()).ToList();
        Assert.Equal([200, 500], statuses); // newest first
    }

    [Fact]
    public async Task One_event_of_the_delivery_log_is_resent_with_its_original_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scim = await fixture.NewDirectoryAsync();
        var (endpointId, secret) = await fixture.NewEndpointAsync(receiver.Url, scim.DirectoryId, "user.created");
        await scim.PostAsync("/Users", User("resend1@example.com"));
        await scim.PostAsync("/Users", User("resend2@example.com"));
        var first = (await receiver.WaitForAsync(r => r.Count >= 2))[0];
        Assert.Equal("resend1@example.com", first.Json["data"]!["user"]!["userName"]!.GetValue<string>());

        var attempt = await fixture.ManageAsync(HttpMethod.Post, $"/manage/webhooks/{endpointId}/deliveries/{first.Id}/resend");

        Assert.Equal(200, attempt["statusCode"]!.GetValue<int>());
        Assert.Equal(first.Id, attempt["eventId"]!.GetValue<string>());
        var received = await receiver.WaitForAsync(r => r.Count >= 3);
        Assert.Equal(3, received.Count);
        var resent = received[^1];
        Assert.Equal(first.Id, resent.Id);
        Assert.Equal("resend1@example.com", resent.Json["data"]!["user"]!["userName"]!.GetValue<string>());
        Assert.True(resent.VerifiesWith(secret));
        var log = await fixture.ManageAsync(HttpMethod.Get, $"/manage/webhooks/{endpointId}/deliveries?eventId={first.Id}");
        Assert.Equal(2, log["attempts"]!.AsArray().Count);
        // The stream is not moved: nothing else is sent again.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task A_resend_of_an_event_not_in_the_log_is_404_and_of_a_malformed_id_400()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scim = await fixture.NewDirectoryAsync();
        var (endpointId, _) = await fixture.NewEndpointAsync(receiver.Url, scim.DirectoryId);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, await StatusOfAsync(HttpMethod.Post, $"/manage/webhooks/{endpointId}/deliveries/msg_{new string('0', 32)}/resend"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await StatusOfAsync(HttpMethod.Post, $"/manage/webhooks/{endpointId}/deliveries/not-an-id/resend"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, await StatusOfAsync(HttpMethod.Post, $"/manage/webhooks/{new string('a', 32)}/deliveries/msg_{new string('0', 32)}/resend"));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_receiver_down_gets_its_backlog_in_order_when_it_returns()
    {
        var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        var url = receiver.Url;
        await receiver.DisposeAsync();
        var scim = await fixture.NewDirectoryAsync();
        var (endpointId, _) = await fixture.NewEndpointAsync(url, scim.DirectoryId, "user.created");

        var names = Enumerable.Range(1, 4).Select(i => $"backlog{i}@example.com").ToList();
        foreach (var name in names) await scim.PostAsync("/Users", User(name));
        await WaitUntilAsync(async () => (await fixture.ManageAsync(HttpMethod.Get, $"/manage/webhooks/{endpointId}/deliveries"))["attempts"]!.AsArray().Count >= 2);

        await using var back = await WebhookReceiver.StartAsync(port);
        var received = await back.WaitForAsync(r => r.Select(w => w.Id).Distinct().Count() >= names.Count);
        var order = received.DistinctBy(r => r.Id).Select(r => r.Json["data"]!["user"]!["userName"]!.GetValue<string>()).ToList();
        Assert.Equal(names, order);
    }

    [Fact]
    public async Task One_dead_endpoint_does_not_hold_up_a_live_one()
    {
        await using var live = await WebhookReceiver.StartAsync();
        await using var dead = await WebhookReceiver.StartAsync();
        dead.Answer = _ => 503;
        var scim = await fixture.NewDirectoryAsync();
        await fixture.NewEndpointAsync(dead.Url, scim.DirectoryId, "user.created");
        await fixture.NewEndpointAsync(live.Url, scim.DirectoryId, "user.created");

        for (var i = 0; i < 3; i++) await scim.PostAsync("/Users", User($"live{i}@example.com"));

        var received = await live.WaitForAsync(r => r.Count >= 3);
        Assert.Equal(3, received.DistinctBy(r => r.Id).Count());
        // The dead endpoint is still stuck on its first event: it never got past it, the live one got all three.
        Assert.Single(dead.Received.DistinctBy(r => r.Id));
    }

    [Fact]
    public async Task During_a_rotation_overlap_both_secrets_verify_and_after_it_only_the_new_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scim = await fixture.NewDirectoryAsync();
        var (endpointId, oldSecret) = await fixture.NewEndpointAsync(receiver.Url, scim.DirectoryId, "user.created");
        var rotated = await fixture.ManageAsync(HttpMethod.Post, $"/manage/webhooks/{endpointId}/rotate-secret", new JsonObject { ["overlapSeconds"] = 3 });
        var newSecret = rotated["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(oldSecret, newSecret);

        await scim.PostAsync("/Users", User("overlap@example.com"));
        var during = (await receiver.WaitForAsync(r => r.Count >= 1))[0];
        Assert.True(during.VerifiesWith(oldSecret));
        Assert.True(during.VerifiesWith(newSecret));

        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await scim.PostAsync("/Users", User("after@example.com"));
        var after = (await receiver.WaitForAsync(r => r.Count >= 2))[^1];
        Assert.True(after.VerifiesWith(newSecret));
        Assert.False(after.VerifiesWith(oldSecret));
    }

    [Fact]
    public async Task A_private_target_is_refused_at_creation_even_in_development_for_plain_http()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/manage/webhooks")
        {
            Content = JsonContent.Create(new { url = "http://10.0.0.1/hook" }),
        };
        request.Headers.Add("x-functions-key", fixture.Host.FunctionKey);
        using var response = await fixture.Host.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<System.Net.HttpStatusCode> StatusOfAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", fixture.Host.FunctionKey);
        using var response = await fixture.Host.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until && !await condition()) await Task.Delay(200);
    }
}
