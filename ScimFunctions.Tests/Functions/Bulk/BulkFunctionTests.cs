using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;
using ScimFunctions.Tests.EndToEnd;

namespace ScimFunctions.Tests.Functions.Bulk;

/// <summary><c>POST /Bulk</c> over HTTP through the local host: RFC 7644 §3.7 and its §3.7.1–3.7.4, bulkId references, cycles,
/// failOnErrors, versions and the limits ServiceProviderConfig advertises.</summary>
public sealed class BulkFunctionTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private const string BulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    private static JsonObject BulkRequest(int? failOnErrors, params JsonObject[] operations)
    {
        var request = new JsonObject { ["schemas"] = new JsonArray(BulkRequestSchema) };
        if (failOnErrors is not null) request["failOnErrors"] = failOnErrors;
        request["Operations"] = new JsonArray([.. operations]);
        return request;
    }

    private static JsonObject Post(string path, string bulkId, JsonObject data) =>
        new() { ["method"] = "POST", ["path"] = path, ["bulkId"] = bulkId, ["data"] = data };

    private static JsonObject Operation(string method, string path, JsonObject? data = null, string? version = null)
    {
        var operation = new JsonObject { ["method"] = method, ["path"] = path };
        if (version is not null) operation["version"] = version;
        if (data is not null) operation["data"] = data;
        return operation;
    }

    private static JsonObject User(string userName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
    };

    private static JsonObject Group(string displayName, params string[] memberValues) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
        ["displayName"] = displayName,
        ["members"] = new JsonArray([.. memberValues.Select(value => (JsonNode)new JsonObject { ["type"] = "User", ["value"] = value })]),
    };

    private static JsonArray Operations(ScimResponse response)
    {
        response.Expect(HttpStatusCode.OK);
        Assert.Equal("application/scim+json", response.MediaType);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:BulkResponse", response.Body!["schemas"]![0]!.GetValue<string>());
        return response.Body["Operations"]!.AsArray();
    }

    private static string Status(JsonNode? operation) => operation!["status"]!.GetValue<string>();

    private static string IdFromLocation(JsonNode? operation) => operation!["location"]!.GetValue<string>().Split('/')[^1];

    private static async Task<int> TotalAsync(ScimClient scim, string path) =>
        (await scim.GetAsync(path + "?count=0")).Expect(HttpStatusCode.OK).Body!["totalResults"]!.GetValue<int>();

    [Fact]
    public async Task The_rfc_example_runs_post_put_patch_and_delete_each_through_its_route()
    {
        // RFC 7644 §3.7's example: one request creating, replacing, patching and deleting users, each with its status.
        var scim = await fixture.NewDirectoryAsync("Okta");
        var replaced = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "bob@example.test" })).Expect(HttpStatusCode.Created);
        var patched = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "dave@example.test" })).Expect(HttpStatusCode.Created);
        var deleted = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "eve@example.test" })).Expect(HttpStatusCode.Created);

        var results = Operations(await scim.PostAsync("/Bulk", BulkRequest(null,
            Post("/Users", "qwerty", User("alice@example.test")),
            Operation("PUT", $"/Users/{replaced.Id}", new JsonObject { ["userName"] = "bob@example.test", ["displayName"] = "Bob Smith" }, replaced.ETag),
            Operation("PATCH", $"/Users/{patched.Id}", ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "Dave" }), patched.ETag),
            Operation("DELETE", $"/Users/{deleted.Id}", version: deleted.ETag))));

        Assert.Equal(["201", "200", "200", "204"], results.Select(Status));
        Assert.Equal(["POST", "PUT", "PATCH", "DELETE"], results.Select(r => r!["method"]!.GetValue<string>()));
        Assert.Equal("qwerty", results[0]!["bulkId"]!.GetValue<string>());
        var alice = (await scim.GetAsync($"/Users/{IdFromLocation(results[0])}")).Expect(HttpStatusCode.OK);
        Assert.Equal("alice@example.test", alice.Body!["userName"]!.GetValue<string>());
        Assert.EndsWith($"{scim.BasePath}/Users/{alice.Id}", results[0]!["location"]!.GetValue<string>());
        Assert.Equal(alice.ETag, results[0]!["version"]!.GetValue<string>());
        var bob = (await scim.GetAsync($"/Users/{replaced.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Bob Smith", bob.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(bob.ETag, results[1]!["version"]!.GetValue<string>());
        var dave = (await scim.GetAsync($"/Users/{patched.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Dave", dave.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(dave.ETag, results[2]!["version"]!.GetValue<string>());
        (await scim.GetAsync($"/Users/{deleted.Id}")).Expect(HttpStatusCode.NotFound);
        Assert.Null(results[3]!["response"]);
    }

    [Fact]
    public async Task A_group_member_refers_to_a_user_created_earlier_in_the_request_and_a_patch_value_to_another()
    {
        // RFC 7644 §3.7.2: "bulkId:qwerty" in a member value stands for the id the POST with bulkId qwerty created.
        var scim = await fixture.NewDirectoryAsync("Okta");
        var results = Operations(await scim.PostAsync("/Bulk", BulkRequest(null,
            Post("/Users", "qwerty", User("alice@example.test")),
            Post("/Users", "asdfgh", User("carol@example.test")),
            Post("/Groups", "ytrewq", Group("Tour Guides", "bulkId:qwerty")),
            Operation("PATCH", "/Groups/bulkId:ytrewq", ScimClient.Patch(new JsonObject
            {
                ["op"] = "add",
                ["path"] = "members",
                ["value"] = new JsonArray(new JsonObject { ["value"] = "bulkId:asdfgh" }),
            })))));

        Assert.Equal(["201", "201", "201", "200"], results.Select(Status));
        var alice = IdFromLocation(results[0]);
        var carol = IdFromLocation(results[1]);
        var group = IdFromLocation(results[2]);
        Assert.EndsWith($"/Groups/{group}", results[3]!["location"]!.GetValue<string>());
        var members = (await scim.GetAsync($"/Groups/{group}")).Expect(HttpStatusCode.OK).Body!["members"]!.AsArray();
        Assert.Equal(new[] { alice, carol }.Order(), members.Select(m => m!["value"]!.GetValue<string>()).Order());
        var groups = (await scim.GetAsync($"/Users/{alice}")).Expect(HttpStatusCode.OK).Body!["groups"]!.AsArray();
        Assert.Equal(group, groups.Single()!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_forward_reference_runs_the_referenced_post_first()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var results = Operations(await scim.PostAsync("/Bulk", BulkRequest(null,
            Post("/Groups", "ytrewq", Group("Forward", "bulkId:qwerty")),
            Post("/Users", "qwerty", User("later@example.test")))));

        // The user's POST ran first, so the group's member is the user's id, and the response lists them in that order.
        Assert.Equal(["qwerty", "ytrewq"], results.Select(r => r!["bulkId"]!.GetValue<string>()));
        Assert.Equal(["201", "201"], results.Select(Status));
        var members = (await scim.GetAsync($"/Groups/{IdFromLocation(results[1])}")).Expect(HttpStatusCode.OK).Body!["members"]!.AsArray();
        Assert.Equal(IdFromLocation(results[0]), members.Single()!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reference_cycle_is_409_for_each_operation_on_it_and_the_rest_still_runs()
    {
        // RFC 7644 §3.7.1 allows answering circular references with 409 rather than resolving them.
        var scim = await fixture.NewDirectoryAsync("Okta");
        var results = Operations(await scim.PostAsync("/Bulk", BulkRequest(null,
            Post("/Groups", "first", Group("First", "bulkId:second")),
            Post("/Groups", "second", Group("Second", "bulkId:first")),
            Post("/Users", "free", User("free@example.test")))));

        Assert.Equal("201", Status(results[0]));
        Assert.Equal("free", results[0]!["bulkId"]!.GetValue<string>());
        Assert.Equal(["first", "second"], results.Skip(1).Select(r => r!["bulkId"]!.GetValue<string>()));
        foreach (var failed in results.Skip(1))
        {
            Assert.Equal("409", Status(failed));
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", failed!["response"]!["schemas"]![0]!.GetValue<string>());
            Assert.Contains("first → second → first", failed["response"]!["detail"]!.GetValue<string>());
        }
        Assert.Equal(0, await TotalAsync(scim, "/Groups"));
    }

    [Fact]
    public async Task A_self_reference_is_a_cycle_too()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var results = Operations(await scim.PostAsync("/Bulk", BulkRequest(null,
            Post("/Users", "me", new JsonObject { ["userName"] = "self@example.test", ["externalId"] = "bulkId:me" }))));
        Assert.Equal("409", Status(results.Single()));
        Assert.Equal(0, await TotalAsync(scim, "/Users"));
    }

    [Fact]
    public async Task Errors_are_reported_per_operation_and_failOnErrors_stops_after_that_many()
    {
        // RFC 7644 §3.7.3: with failOnErrors 1 the first failure ends the request.
        var scim = await fixture.NewDirectoryAsync("Okta");
        (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "taken@example.test" })).Expect(HttpStatusCode.Created);

        var stopped = Operations(await scim.PostAsync("/Bulk", BulkRequest(1,
            Post("/Users", "dup", User("taken@example.test")),
            Post("/Users", "never", User("never@example.test")))));
        var failure = stopped.Single()!;
        Assert.Equal("409", Status(failure));
        Assert.Equal("uniqueness", failure["response"]!["scimType"]!.GetValue<string>());
        Assert.Equal("409", failure["response"]!["status"]!.GetValue<string>());
        Assert.Null(failure["location"]);
        Assert.Equal(1, await TotalAsync(scim, "/Users"));

        // failOnErrors 2: a success between the two failures runs, and nothing after the second.
        var second = Operations(await scim.PostAsync("/Bulk", BulkRequest(2,
            Post("/Users", "a", User("taken@example.test")),
            Post("/Users", "b", User("ok@example.test")),
            Post("/Users", "c", new JsonObject { ["userName"] = "" }),
            Post("/Users", "d", User("skipped@example.test")))));
        Assert.Equal(["409", "201", "400"], second.Select(Status));
        Assert.Equal(2, await TotalAsync(scim, "/Users"));

        // Without failOnErrors every operation runs, whatever fails.
        var all = Operations(await scim.PostAsync("/Bulk", BulkRequest(null,
            Post("/Users", "x", User("taken@example.test")),
            Post("/Users", "y", new JsonObject { ["userName"] = "" }),
            Post("/Users", "z", User("last@example.test")))));
        Assert.Equal(["409", "400", "201"], all.Select(Status));
    }

    [Fact]
    public async Task A_version_that_does_not_match_is_412_in_that_operation_only()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "versioned@example.test" })).Expect(HttpStatusCode.Created);
        var results = Operations(await scim.PostAsync("/Bulk", BulkRequest(null,
            Operation("PUT", $"/Users/{user.Id}", new JsonObject { ["userName"] = "versioned@example.test", ["displayName"] = "Stale" }, "W/\"stale\""),
            Operation("PATCH", $"/Users/{user.Id}", ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "Fresh" }), user.ETag),
            Operation("DELETE", $"/Users/{user.Id}", version: user.ETag))));

        Assert.Equal(["412", "200", "412"], results.Select(Status));
        Assert.Equal("412", results[0]!["response"]!["status"]!.GetValue<string>());
        var current = (await scim.GetAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Fresh", current.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(current.ETag, results[1]!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task References_to_unknown_or_failed_operations_and_bad_operations_fail_alone()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var results = Operations(await scim.PostAsync("/Bulk", BulkRequest(null,
            Post("/Groups", "g1", Group("Unknown ref", "bulkId:nobody")),
            Post("/Users", "bad", new JsonObject { ["userName"] = "" }),
            Post("/Groups", "g2", Group("Failed ref", "bulkId:bad")),
            Operation("POST", "/Users", User("nobulkid@example.test")),
            Operation("GET", "/Users"),
            Operation("DELETE", "/Widgets/1"),
            Operation("DELETE", "/Users"),
            Post("/Users", "good", User("good@example.test")))));

        Assert.Equal(["400", "400", "409", "400", "400", "400", "400", "201"], results.Select(Status));
        Assert.Equal("invalidValue", results[0]!["response"]!["scimType"]!.GetValue<string>());
        Assert.Contains("bulkId:nobody", results[0]!["response"]!["detail"]!.GetValue<string>());
        Assert.Contains("bulkId:bad", results[2]!["response"]!["detail"]!.GetValue<string>());
        Assert.Equal("invalidPath", results[5]!["response"]!["scimType"]!.GetValue<string>());
        Assert.Equal(1, await TotalAsync(scim, "/Users"));
        Assert.Equal(0, await TotalAsync(scim, "/Groups"));
    }

    [Fact]
    public async Task The_advertised_limits_hold_413_tooMany_and_tooLarge_and_a_request_at_the_limit_is_accepted()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var bulk = (await scim.GetAsync("/ServiceProviderConfig")).Expect(HttpStatusCode.OK).Body!["bulk"]!;
        Assert.True(bulk["supported"]!.GetValue<bool>());
        var maxOperations = bulk["maxOperations"]!.GetValue<int>();
        var maxPayloadSize = bulk["maxPayloadSize"]!.GetValue<int>();
        Assert.InRange(maxOperations, 1, 10_000);

        var tooMany = Enumerable.Range(0, maxOperations + 1).Select(i => Post("/Users", $"u{i}", User($"many{i}@example.test"))).ToArray();
        var refused = await scim.PostAsync("/Bulk", BulkRequest(null, tooMany));
        AssertError(refused, HttpStatusCode.RequestEntityTooLarge, "tooMany");
        Assert.Equal(0, await TotalAsync(scim, "/Users"));

        // maxOperations operations in a body of exactly maxPayloadSize bytes (padded with whitespace) are accepted
        // by the host edge and run; one byte more is 413 tooLarge.
        var atLimit = BulkRequest(null, [.. tooMany.Take(maxOperations).Select(o => (JsonObject)o.DeepClone())]).ToJsonString();
        var padded = atLimit[..^1] + new string(' ', maxPayloadSize - atLimit.Length) + "}";
        Assert.Equal(maxPayloadSize, System.Text.Encoding.UTF8.GetByteCount(padded));
        var oversize = await scim.SendAsync(HttpMethod.Post, "/Bulk", null, rawBody: padded[..^1] + " }");
        AssertError(oversize, HttpStatusCode.RequestEntityTooLarge, "tooLarge");
        Assert.Equal(0, await TotalAsync(scim, "/Users"));
        var accepted = Operations(await scim.SendAsync(HttpMethod.Post, "/Bulk", null, rawBody: padded));
        Assert.Equal(maxOperations, accepted.Count);
        Assert.All(accepted, result => Assert.Equal("201", Status(result)));
        Assert.Equal(maxOperations, await TotalAsync(scim, "/Users"));
    }

    [Fact]
    public async Task A_malformed_bulk_request_is_400_and_runs_nothing_and_other_verbs_are_405()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        AssertError(await scim.PostAsync("/Bulk", new JsonObject { ["Operations"] = new JsonArray() }), HttpStatusCode.BadRequest, "invalidSyntax");
        AssertError(await scim.PostAsync("/Bulk", new JsonObject { ["schemas"] = new JsonArray(BulkRequestSchema) }), HttpStatusCode.BadRequest, "invalidSyntax");
        AssertError(await scim.PostAsync("/Bulk", BulkRequest(0, Post("/Users", "a", User("a@example.test")))), HttpStatusCode.BadRequest, "invalidValue");
        AssertError(await scim.PostAsync("/Bulk", BulkRequest(null, Post("/Users", "same", User("a@example.test")), Post("/Users", "same", User("b@example.test")))),
            HttpStatusCode.BadRequest, "invalidValue");
        Assert.Equal(0, await TotalAsync(scim, "/Users"));

        var get = await scim.GetAsync("/Bulk");
        AssertError(get, HttpStatusCode.MethodNotAllowed, null);
        Assert.Equal("POST", string.Join(", ", get.Message.Content.Headers.Allow.Concat(get.Message.Headers.TryGetValues("Allow", out var values) ? values : [])));
    }

    [Fact]
    public async Task Operations_write_the_same_change_log_rows_as_their_routes_and_a_failed_one_none()
    {
        var viaRoutes = await fixture.NewDirectoryAsync("Okta");
        var user = (await viaRoutes.PostAsync("/Users", User("feed@example.test"))).Expect(HttpStatusCode.Created);
        var group = (await viaRoutes.PostAsync("/Groups", Group("Feed", user.Id))).Expect(HttpStatusCode.Created);
        (await viaRoutes.PatchAsync($"/Users/{user.Id}", ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = false }))).Expect(HttpStatusCode.OK);
        (await viaRoutes.DeleteAsync($"/Groups/{group.Id}")).Expect(HttpStatusCode.NoContent);
        (await viaRoutes.PostAsync("/Users", User("feed@example.test"))).Expect(HttpStatusCode.Conflict);

        var viaBulk = await fixture.NewDirectoryAsync("Okta");
        var results = Operations(await viaBulk.PostAsync("/Bulk", BulkRequest(null,
            Post("/Users", "u", User("feed@example.test")),
            Post("/Groups", "g", Group("Feed", "bulkId:u")),
            Operation("PATCH", "/Users/bulkId:u", ScimClient.Patch(new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = false })),
            Operation("DELETE", "/Groups/bulkId:g"),
            Post("/Users", "dup", User("feed@example.test")))));
        Assert.Equal(["201", "201", "200", "204", "409"], results.Select(Status));

        var expected = await ChangesAsync(viaRoutes);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await ChangesAsync(viaBulk));
    }

    /// <summary>The directory's change-log rows in key (time) order as "kind op", ids left out (they differ
    /// between directories); read from the table, as the feed's settle window would hide them for a while.</summary>
    private async Task<List<string>> ChangesAsync(ScimClient scim)
    {
        var store = fixture.Host.Services.GetRequiredService<ChangeLogStore>();
        var (changes, _) = await store.ReadAsync(scim.DirectoryId, null, PartitionLayout.PrefixEnd(PartitionLayout.ChangePrefix), 1000, CancellationToken.None);
        // Connection-state changes come from the request log's flush, on its own schedule: not the operations' rows.
        return changes.Where(change => change.Entry.Kind != ChangeLog.DirectoryKind)
            .Select(change => $"{change.Entry.Kind} {change.Entry.Operation}").ToList();
    }

    private static void AssertError(ScimResponse response, HttpStatusCode status, string? scimType)
    {
        response.Expect(status);
        Assert.Equal("application/scim+json", response.MediaType);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", response.Body!["schemas"]![0]!.GetValue<string>());
        Assert.Equal(scimType, response.Body["scimType"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(response.Body["detail"]?.GetValue<string>()));
    }
}
