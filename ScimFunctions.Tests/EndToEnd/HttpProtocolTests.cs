using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd;

/// <summary>What every route owes a client: errors in SCIM form, limits, preconditions, isolation, media types.</summary>
public sealed class HttpProtocolTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private static void AssertScimError(ScimResponse response, HttpStatusCode status, string? scimType)
    {
        response.Expect(status);
        Assert.Equal("application/scim+json", response.MediaType);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", response.Body!["schemas"]![0]!.GetValue<string>());
        Assert.Equal(((int)status).ToString(), response.Body["status"]!.GetValue<string>());
        Assert.Equal(scimType, response.Body["scimType"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(response.Body["detail"]?.GetValue<string>()));
    }

    private static async Task<int> UserCountAsync(ScimClient scim) =>
        (await scim.GetAsync("/Users?count=0")).Expect(HttpStatusCode.OK).Body!["totalResults"]!.GetValue<int>();

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413_and_stores_nothing()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        var huge = new JsonObject { ["userName"] = "big@example.test", ["nickName"] = new string('x', 1024 * 1024) };
        AssertScimError(await scim.PostAsync("/Users", huge), HttpStatusCode.RequestEntityTooLarge, null);
        Assert.Equal(0, await UserCountAsync(scim));
    }

    [Fact]
    public async Task Syntax_errors_are_400_invalidSyntax_and_other_media_types_415()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        AssertScimError(await scim.SendAsync(HttpMethod.Post, "/Users", null, rawBody: "{\"userName\": \"a\","), HttpStatusCode.BadRequest, "invalidSyntax");
        AssertScimError(await scim.SendAsync(HttpMethod.Post, "/Users", null, rawBody: "[1,2]"), HttpStatusCode.BadRequest, "invalidSyntax");
        AssertScimError(await scim.SendAsync(HttpMethod.Post, "/Users", new JsonObject { ["userName"] = "a" }, contentType: "text/plain"), HttpStatusCode.UnsupportedMediaType, null);
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "a" })).Expect(HttpStatusCode.Created);
        AssertScimError(await scim.SendAsync(HttpMethod.Patch, $"/Users/{user.Id}", null, rawBody: "{\"Operations\":[{\"op\":\"explode\"}]}"), HttpStatusCode.BadRequest, "invalidSyntax");
        AssertScimError(await scim.GetAsync("/Users?filter=" + Filter("userName xx \"a\"")), HttpStatusCode.BadRequest, "invalidFilter");
        AssertScimError(await scim.GetAsync("/Users?count=many"), HttpStatusCode.BadRequest, "invalidValue");
        Assert.Equal(1, await UserCountAsync(scim));
    }

    [Fact]
    public async Task Me_is_501_with_a_scim_error_for_every_verb()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            var body = method == HttpMethod.Get || method == HttpMethod.Delete ? null : new JsonObject { ["userName"] = "me@example.test" };
            AssertScimError(await scim.SendAsync(method, "/Me", body), HttpStatusCode.NotImplemented, null);
        }
        Assert.Equal(0, await UserCountAsync(scim));
    }

    [Fact]
    public async Task Bodies_that_used_to_fail_late_are_400_and_store_nothing()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "kept@example.test", ["title"] = "Kept" })).Expect(HttpStatusCode.Created);
        AssertScimError(await scim.SendAsync(HttpMethod.Post, "/Users", null, rawBody: "{\"userName\":\"\\ud800\"}"), HttpStatusCode.BadRequest, "invalidSyntax");
        AssertScimError(await scim.SendAsync(HttpMethod.Post, "/Users", null, rawBody: "{\"userName\":\"x\",\"userName\":\"x\"}"), HttpStatusCode.BadRequest, "invalidSyntax");
        AssertScimError(await scim.SendAsync(HttpMethod.Post, "/Users", null, rawBody: "{\"userName\":\"a\",\"USERNAME\":\"b\"}"), HttpStatusCode.BadRequest, "invalidSyntax");
        AssertScimError(await scim.SendAsync(HttpMethod.Post, "/Users", null, rawBody: "{\"schemas\":\"notarray\",\"userName\":\"s\"}"), HttpStatusCode.BadRequest, "invalidValue");
        AssertScimError(await scim.PostAsync("/Users", new JsonObject { ["userName"] = 123 }), HttpStatusCode.BadRequest, "invalidValue");
        AssertScimError(await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = 5 }), HttpStatusCode.BadRequest, "invalidValue");
        AssertScimError(await scim.PostAsync("/Users", new JsonObject { ["userName"] = new string('u', 40_000) }), HttpStatusCode.BadRequest, "invalidValue");
        AssertScimError(await scim.PutAsync($"/Users/{user.Id}", new JsonObject { ["userName"] = "kept@example.test", ["displayName"] = new string('d', 40_000) }), HttpStatusCode.BadRequest, "invalidValue");
        AssertScimError(await scim.PatchAsync($"/Users/{user.Id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "externalId", ["value"] = new string('e', 40_000) })), HttpStatusCode.BadRequest, "invalidValue");
        AssertScimError(await scim.PatchAsync($"/Users/{user.Id}", new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"), ["Operations"] = new JsonArray() }), HttpStatusCode.BadRequest, "invalidValue");

        var unchanged = (await scim.GetAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(user.ETag, unchanged.ETag);
        Assert.Equal(1, await UserCountAsync(scim));
        Assert.Equal(0, (await scim.GetAsync("/Groups?count=0")).Expect(HttpStatusCode.OK).Body!["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_post_with_sixty_thousand_keys_is_refused_quickly()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        var body = "{\"userName\":\"wide@example.test\"," + string.Join(",", Enumerable.Range(0, 60_000).Select(i => $"\"k{i}\":1")) + "}";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        AssertScimError(await scim.SendAsync(HttpMethod.Post, "/Users", null, rawBody: body), HttpStatusCode.BadRequest, "invalidSyntax");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Took {watch.Elapsed.TotalSeconds:F1} s.");
        Assert.Equal(0, await UserCountAsync(scim));
    }

    [Fact]
    public async Task One_directory_never_sees_another_directory_data()
    {
        var first = await fixture.NewDirectoryAsync("OneLogin");
        var second = await fixture.NewDirectoryAsync("OneLogin");
        var user = (await first.PostAsync("/Users", new JsonObject { ["userName"] = "private@example.test" })).Expect(HttpStatusCode.Created);

        // The other directory's token on this directory's URL, and no token at all: 401.
        var crossed = new ScimClient(fixture.Host.Client, first.DirectoryId, second.Token);
        AssertScimError(await crossed.GetAsync($"/Users/{user.Id}"), HttpStatusCode.Unauthorized, null);
        var anonymous = new ScimClient(fixture.Host.Client, first.DirectoryId, "not-a-token");
        AssertScimError(await anonymous.GetAsync("/Users"), HttpStatusCode.Unauthorized, null);
        // The other directory's own URL: the id and the name are unknown there.
        AssertScimError(await second.GetAsync($"/Users/{user.Id}"), HttpStatusCode.NotFound, null);
        AssertScimError(await second.DeleteAsync($"/Users/{user.Id}"), HttpStatusCode.NotFound, null);
        Assert.Equal(0, (await second.GetAsync("/Users?filter=" + Filter("userName eq \"private@example.test\""))).Body!["totalResults"]!.GetValue<int>());
        Assert.Equal(0, await UserCountAsync(second));
        (await second.PostAsync("/Users", new JsonObject { ["userName"] = "private@example.test" })).Expect(HttpStatusCode.Created);
        (await first.GetAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ETags_drive_if_match_and_if_none_match()
    {
        var scim = await fixture.NewDirectoryAsync("EntraId");
        var created = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "etag@example.test" })).Expect(HttpStatusCode.Created);
        Assert.NotNull(created.ETag);

        var notModified = await scim.GetAsync($"/Users/{created.Id}", r => r.Headers.TryAddWithoutValidation("If-None-Match", created.ETag));
        notModified.Expect(HttpStatusCode.NotModified);
        Assert.Equal(created.ETag, notModified.ETag);

        var patched = (await scim.PatchAsync($"/Users/{created.Id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = "Boss" }),
            r => r.Headers.TryAddWithoutValidation("If-Match", created.ETag))).Expect(HttpStatusCode.OK);
        AssertScimError(await scim.SendAsync(HttpMethod.Put, $"/Users/{created.Id}", new JsonObject { ["userName"] = "etag@example.test" },
            configure: r => r.Headers.TryAddWithoutValidation("If-Match", created.ETag)), HttpStatusCode.PreconditionFailed, null);
        AssertScimError(await scim.DeleteAsync($"/Users/{created.Id}", r => r.Headers.TryAddWithoutValidation("If-Match", created.ETag)), HttpStatusCode.PreconditionFailed, null);
        (await scim.GetAsync($"/Users/{created.Id}", r => r.Headers.TryAddWithoutValidation("If-None-Match", created.ETag))).Expect(HttpStatusCode.OK);
        (await scim.DeleteAsync($"/Users/{created.Id}", r => r.Headers.TryAddWithoutValidation("If-Match", patched.ETag))).Expect(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Prefer_return_minimal_makes_patch_answer_204_with_the_new_etag()
    {
        var scim = await fixture.NewDirectoryAsync("EntraId");
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "quiet@example.test" })).Expect(HttpStatusCode.Created);
        var group = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Quiet" })).Expect(HttpStatusCode.Created);
        void Minimal(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Prefer", "return=minimal");

        var userPatch = (await scim.PatchAsync($"/Users/{user.Id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = false }), Minimal))
            .Expect(HttpStatusCode.NoContent);
        Assert.Null(userPatch.Body);
        Assert.Equal((await scim.GetAsync($"/Users/{user.Id}")).ETag, userPatch.ETag);
        var groupPatch = (await scim.PatchAsync($"/Groups/{group.Id}", Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = MemberList(user.Id) }), Minimal))
            .Expect(HttpStatusCode.NoContent);
        Assert.Equal((await scim.GetAsync($"/Groups/{group.Id}")).ETag, groupPatch.ETag);
    }

    [Fact]
    public async Task Search_by_post_accepts_application_json_and_answers_scim_json()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "searched@example.test", ["title"] = "T" }, "application/json")).Expect(HttpStatusCode.Created);
        (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Searched" })).Expect(HttpStatusCode.Created);
        var search = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest"),
            ["filter"] = "title eq \"T\"",
            ["attributes"] = new JsonArray("userName"),
            ["startIndex"] = 1,
            ["count"] = 10,
        };
        var found = (await scim.PostAsync("/Users/.search", search, "application/json")).Expect(HttpStatusCode.OK);
        Assert.Equal("application/scim+json", found.MediaType);
        var only = Assert.Single(found.Body!["Resources"]!.AsArray())!;
        Assert.Equal("searched@example.test", only["userName"]!.GetValue<string>());
        Assert.Null(only["title"]);
        var groups = (await scim.PostAsync("/Groups/.search", new JsonObject { ["filter"] = "displayName eq \"searched\"" })).Expect(HttpStatusCode.OK);
        Assert.Equal(1, groups.Body!["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cursor_paging_over_http_returns_next_cursor_until_the_last_page()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        for (var i = 0; i < 3; i++) (await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"c{i}@example.test" })).Expect(HttpStatusCode.Created);
        var first = (await scim.GetAsync("/Users?cursor&count=2")).Expect(HttpStatusCode.OK);
        var next = first.Body!["nextCursor"]!.GetValue<string>();
        var last = (await scim.GetAsync($"/Users?count=2&cursor={Uri.EscapeDataString(next)}")).Expect(HttpStatusCode.OK);
        Assert.Null(last.Body!["nextCursor"]);
        Assert.Equal(3, first.Body["Resources"]!.AsArray().Count + last.Body["Resources"]!.AsArray().Count);
        AssertScimError(await scim.GetAsync("/Users?cursor=garbage"), HttpStatusCode.BadRequest, "invalidCursor");
    }

    [Fact]
    public async Task Discovery_tells_what_is_implemented_without_a_token()
    {
        var anonymous = fixture.Host.Client;
        var config = JsonNode.Parse(await anonymous.GetStringAsync("/scim/any-directory/v2/ServiceProviderConfig"))!;
        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
        Assert.True(config["filter"]!["supported"]!.GetValue<bool>());
        Assert.Equal(ScimFunctions.Provisioning.ScimLimits.MaxPageSize, config["filter"]!["maxResults"]!.GetValue<int>());
        Assert.True(config["sort"]!["supported"]!.GetValue<bool>());
        Assert.True(config["etag"]!["supported"]!.GetValue<bool>());
        Assert.True(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.False(config["changePassword"]!["supported"]!.GetValue<bool>());
        Assert.True(config["pagination"]!["cursor"]!.GetValue<bool>());

        var types = JsonNode.Parse(await anonymous.GetStringAsync("/scim/any-directory/v2/ResourceTypes"))!;
        Assert.Equal(["User", "Group"], types["Resources"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        var user = JsonNode.Parse(await anonymous.GetStringAsync("/scim/any-directory/v2/ResourceTypes/User"))!;
        Assert.Equal("/Users", user["endpoint"]!.GetValue<string>());
        var schema = JsonNode.Parse(await anonymous.GetStringAsync("/scim/any-directory/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group"))!;
        Assert.Equal("Group", schema["name"]!.GetValue<string>());
        Assert.EndsWith("/scim/any-directory/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", schema["meta"]!["location"]!.GetValue<string>());
        var missing = await anonymous.GetAsync("/scim/any-directory/v2/Schemas/urn:nothing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/scim+json", missing.Content.Headers.ContentType?.MediaType);
    }
    [Theory]
    [InlineData("GET", "/3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("GET", "/")]
    [InlineData("GET", "")]
    [InlineData("GET", "/serviceConfiguration")]
    [InlineData("POST", "/Widgets/.search")]
    [InlineData("DELETE", "/Users/a/b")]
    public async Task An_unknown_path_under_a_scim_base_is_404_in_scim_form(string method, string path)
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        AssertScimError(await scim.SendAsync(new HttpMethod(method), path, null), HttpStatusCode.NotFound, null);
    }

    [Theory]
    [InlineData("PUT", "/ServiceProviderConfig", "GET")]
    [InlineData("DELETE", "/Schemas", "GET")]
    [InlineData("PUT", "/Users", "GET, POST")]
    [InlineData("POST", "/Groups/0123456789abcdef0123456789abcdef", "DELETE, GET, PATCH, PUT")]
    public async Task A_known_path_with_another_method_is_405_with_allow(string method, string path, string allowed)
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        var response = await scim.SendAsync(new HttpMethod(method), path, null);
        AssertScimError(response, HttpStatusCode.MethodNotAllowed, null);
        Assert.Equal(allowed, string.Join(", ", response.Message.Content.Headers.Allow.Concat(response.Message.Headers.TryGetValues("Allow", out var values) ? values : [])));
    }

    [Fact]
    public async Task The_schema_offers_only_users_as_group_members_and_a_user_sent_as_type_Group_is_that_user()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var schema = (await scim.GetAsync("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")).Expect(HttpStatusCode.OK).Body!;
        var members = schema["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "members")!["subAttributes"]!.AsArray();
        Assert.Equal(["User"], members.Single(a => a!["name"]!.GetValue<string>() == "$ref")!["referenceTypes"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["User"], members.Single(a => a!["name"]!.GetValue<string>() == "type")!["canonicalValues"]!.AsArray().Select(v => v!.GetValue<string>()));

        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "typed@example.test" })).Expect(HttpStatusCode.Created);
        var inner = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Inner" })).Expect(HttpStatusCode.Created);
        var group = (await scim.PostAsync("/Groups", new JsonObject
        {
            ["displayName"] = "Typed",
            ["members"] = new JsonArray(new JsonObject { ["value"] = user.Id, ["type"] = "Group" }),
        })).Expect(HttpStatusCode.Created);
        Assert.Equal([user.Id], group.Body!["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));

        var refused = await scim.PatchAsync($"/Groups/{group.Id}", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
            ["Operations"] = new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = inner.Id, ["type"] = "Group" }) }),
        });
        AssertScimError(refused, HttpStatusCode.BadRequest, "invalidValue");
        Assert.Contains("groups do not nest", refused.Body!["detail"]!.GetValue<string>());
    }
}
