using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Activity;
using ScimFunctions.Tests.EndToEnd;

namespace ScimFunctions.Tests.Portal;

/// <summary>The directory-scoped and operator API over HTTP: isolation between directories, scopes, CSRF,
/// the token cap, the role preview, the setup milestones, and bad input that must never be a 500.</summary>
public sealed class PortalDirectoryApiTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    [Fact]
    public async Task A_session_for_one_directory_cannot_reach_another()
    {
        var a = await fixture.NewDirectoryAsync("A");
        var b = await fixture.NewDirectoryAsync("B");
        var client = await fixture.SignedInAsync(a);

        var own = (await client.GetAsync($"/portal/api/directories/{a}")).Expect(HttpStatusCode.OK);
        Assert.Equal(a, (string?)own.Body!["id"]);
        Assert.Equal("waiting", (string?)own.Body!["status"]!["state"]);
        Assert.Equal("Active", (string?)own.Body!["state"]);
        Assert.False((bool)own.Body!["operator"]!);
        foreach (var path in new[] { "", "/setup", "/tokens", "/roles", "/users", "/groups", "/requests" })
        {
            var refused = (await client.GetAsync($"/portal/api/directories/{b}{path}")).Expect(HttpStatusCode.NotFound);
            Assert.Equal("not_found", refused.Error);
            PortalHeadersAssert.Secured(refused);
        }
        Assert.Equal("not_found", (await client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{b}/tokens", new JsonObject())).Expect(HttpStatusCode.NotFound).Error);
        Assert.Equal("scope", (await client.GetAsync("/portal/api/directories")).Expect(HttpStatusCode.Forbidden).Error);
    }

    [Fact]
    public async Task An_operator_session_lists_creates_and_opens_every_directory()
    {
        var existing = await fixture.NewDirectoryAsync("Existing");
        var client = await fixture.SignedInAsync(null);
        var listed = (await client.GetAsync("/portal/api/directories")).Expect(HttpStatusCode.OK);
        Assert.Contains(listed.Body!["directories"]!.AsArray(), d => (string?)d!["id"] == existing);

        var created = (await client.SendAsync(HttpMethod.Post, "/portal/api/directories", new JsonObject { ["displayName"] = "Made in the portal", ["provider"] = "Okta" }))
            .Expect(HttpStatusCode.Created);
        var id = (string)created.Body!["id"]!;
        Assert.Equal("Okta", (string?)created.Body!["provider"]);
        Assert.True((bool)created.Body!["operator"]!);
        (await client.GetAsync($"/portal/api/directories/{id}/tokens")).Expect(HttpStatusCode.OK);
        Assert.Equal("invalid", (await client.SendAsync(HttpMethod.Post, "/portal/api/directories", new JsonObject { ["displayName"] = "x", ["provider"] = "Nope" })).Expect(HttpStatusCode.BadRequest).Error);

        var link = (await client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{id}/portal-links", new JsonObject { ["scopes"] = new JsonArray("setup") }))
            .Expect(HttpStatusCode.Created);
        var url = (string)link.Body!["url"]!;
        var admin = fixture.NewClient();
        (await admin.RedeemAsync(url[(url.IndexOf("#link=", StringComparison.Ordinal) + 6)..])).Expect(HttpStatusCode.OK);
        (await admin.GetAsync($"/portal/api/directories/{id}/setup")).Expect(HttpStatusCode.OK);
        Assert.Equal("scope", (await admin.SendAsync(HttpMethod.Post, $"/portal/api/directories/{id}/portal-links", new JsonObject())).Expect(HttpStatusCode.Forbidden).Error);
    }

    [Fact]
    public async Task Routes_outside_the_session_scopes_are_refused()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        var client = await fixture.SignedInAsync(directoryId, new { scopes = new[] { "activity" } });

        (await client.GetAsync($"/portal/api/directories/{directoryId}")).Expect(HttpStatusCode.OK);
        (await client.GetAsync($"/portal/api/directories/{directoryId}/requests")).Expect(HttpStatusCode.OK);
        foreach (var path in new[] { "/tokens", "/roles", "/users", "/groups", "/setup" })
        {
            var refused = (await client.GetAsync($"/portal/api/directories/{directoryId}{path}")).Expect(HttpStatusCode.Forbidden);
            Assert.Equal("scope", refused.Error);
        }
        Assert.Equal("scope", (await client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{directoryId}/tokens", new JsonObject())).Expect(HttpStatusCode.Forbidden).Error);
        Assert.Equal("scope", (await client.SendAsync(HttpMethod.Put, $"/portal/api/directories/{directoryId}/provider", new JsonObject { ["provider"] = "Okta" })).Expect(HttpStatusCode.Forbidden).Error);
    }

    [Fact]
    public async Task Every_mutation_needs_the_portal_header()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        var client = await fixture.SignedInAsync(directoryId);
        var mutations = new (HttpMethod Method, string Path, JsonNode? Body)[]
        {
            (HttpMethod.Put, "/provider", new JsonObject { ["provider"] = "Okta" }),
            (HttpMethod.Post, "/tokens", new JsonObject()),
            (HttpMethod.Delete, "/tokens/" + new string('a', 32), null),
            (HttpMethod.Post, "/roles/preview", new JsonObject()),
            (HttpMethod.Put, "/roles", new JsonObject()),
        };
        foreach (var (method, path, body) in mutations)
        {
            var refused = (await client.SendAsync(method, $"/portal/api/directories/{directoryId}{path}", body, csrfHeader: false)).Expect(HttpStatusCode.Forbidden);
            Assert.Equal("csrf", refused.Error);
        }
        var tokens = (await client.GetAsync($"/portal/api/directories/{directoryId}/tokens")).Expect(HttpStatusCode.OK);
        Assert.Empty(tokens.Body!["tokens"]!.AsArray());
        var provider = (await client.SendAsync(HttpMethod.Put, $"/portal/api/directories/{directoryId}/provider", new JsonObject { ["provider"] = "EntraId" })).Expect(HttpStatusCode.OK);
        Assert.Equal("EntraId", (string?)provider.Body!["provider"]);
    }

    [Fact]
    public async Task At_most_two_tokens_are_active_even_under_concurrent_mints()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        var client = await fixture.SignedInAsync(directoryId);
        var mints = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{directoryId}/tokens", new JsonObject { ["label"] = "race " + i })));

        var created = mints.Where(m => m.Status == HttpStatusCode.Created).ToList();
        Assert.Equal(2, created.Count);
        Assert.All(mints.Except(created), m => Assert.Equal("token_limit", m.Expect(HttpStatusCode.Conflict).Error));
        Assert.All(created, m => Assert.EndsWith((string)m.Body!["last4"]!, (string)m.Body!["token"]!));
        await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{directoryId}/tokens", new { label = "over the cap" }, HttpStatusCode.Conflict);

        var listed = (await client.GetAsync($"/portal/api/directories/{directoryId}/tokens")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, (int)listed.Body!["maxActive"]!);
        Assert.Equal(2, listed.Body!["tokens"]!.AsArray().Count(t => (bool)t!["active"]!));
        Assert.DoesNotContain(listed.Body!["tokens"]!.AsArray(), t => t!["token"] is not null);

        (await client.SendAsync(HttpMethod.Delete, $"/portal/api/directories/{directoryId}/tokens/{created[0].Body!["id"]}")).Expect(HttpStatusCode.NoContent);
        (await client.SendAsync(HttpMethod.Delete, $"/portal/api/directories/{directoryId}/tokens/{created[0].Body!["id"]}")).Expect(HttpStatusCode.NoContent);
        (await client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{directoryId}/tokens", new JsonObject())).Expect(HttpStatusCode.Created);
        (await client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{directoryId}/tokens", new JsonObject())).Expect(HttpStatusCode.Conflict);
        (await client.SendAsync(HttpMethod.Delete, $"/portal/api/directories/{directoryId}/tokens/nosuchtoken")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_role_preview_counts_what_the_mapping_would_change_and_saving_applies_it()
    {
        var (directoryId, scim) = await DirectoryWithScimAsync();
        await fixture.ManageAsync(HttpMethod.Put, $"/manage/directories/{directoryId}/roles/editor", new { displayName = "Editor" }, HttpStatusCode.Created);
        await fixture.ManageAsync(HttpMethod.Put, $"/manage/directories/{directoryId}/roles/viewer", new { displayName = "Viewer" }, HttpStatusCode.Created);
        var user = (await scim.PostAsync("/Users", new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"), ["userName"] = "ana@example.com" })).Expect(HttpStatusCode.Created).Id;
        await scim.PostAsync("/Users", new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"), ["userName"] = "bo@example.com" });
        var group = (await scim.PostAsync("/Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = "Editors",
            ["members"] = ScimClient.MemberList(user),
        })).Expect(HttpStatusCode.Created).Id;
        var client = await fixture.SignedInAsync(directoryId);
        var proposal = new JsonObject { ["defaultRole"] = null, ["mappings"] = new JsonArray(new JsonObject { ["group"] = new JsonObject { ["id"] = group }, ["roles"] = new JsonArray("editor") }) };

        var preview = (await client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{directoryId}/roles/preview", proposal.DeepClone())).Expect(HttpStatusCode.OK);
        Assert.Equal(1, (int)preview.Body!["usersAffected"]!);
        var change = Assert.Single(preview.Body!["changes"]!.AsArray())!;
        Assert.Equal(("editor", 1, 0), ((string)change["role"]!, (int)change["gain"]!, (int)change["lose"]!));

        var withDefault = (JsonObject)proposal.DeepClone();
        withDefault["defaultRole"] = "viewer";
        var both = (await client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{directoryId}/roles/preview", withDefault)).Expect(HttpStatusCode.OK);
        Assert.Equal(2, (int)both.Body!["usersAffected"]!);

        var saved = (await client.SendAsync(HttpMethod.Put, $"/portal/api/directories/{directoryId}/roles", proposal.DeepClone())).Expect(HttpStatusCode.OK);
        var mapping = Assert.Single(saved.Body!["mappings"]!.AsArray())!;
        Assert.Equal("Editors", (string?)mapping["group"]!["displayName"]);
        Assert.True((bool)mapping["groupSynced"]!);
        Assert.Equal(2, saved.Body!["roles"]!.AsArray().Count);
        var after = (await client.SendAsync(HttpMethod.Post, $"/portal/api/directories/{directoryId}/roles/preview", proposal.DeepClone())).Expect(HttpStatusCode.OK);
        Assert.Equal(0, (int)after.Body!["usersAffected"]!);

        var users = (await client.GetAsync($"/portal/api/directories/{directoryId}/users?search=AN")).Expect(HttpStatusCode.OK);
        var ana = Assert.Single(users.Body!["users"]!.AsArray())!;
        Assert.Equal("ana@example.com", (string?)ana["userName"]);
        Assert.Equal(group, (string?)ana["roles"]![0]!["via"]![0]!["group"]!["id"]);
        var detail = (await client.GetAsync($"/portal/api/directories/{directoryId}/users/{user}")).Expect(HttpStatusCode.OK);
        Assert.Equal("ana@example.com", (string?)detail.Body!["attributes"]!["userName"]);
        var groups = (await client.GetAsync($"/portal/api/directories/{directoryId}/groups")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, (int)groups.Body!["groups"]![0]!["memberCount"]!);
        Assert.Equal("editor", (string?)groups.Body!["groups"]![0]!["roles"]![0]);
        var members = (await client.GetAsync($"/portal/api/directories/{directoryId}/groups/{group}/members")).Expect(HttpStatusCode.OK);
        Assert.Equal("ana@example.com", (string?)members.Body!["members"]![0]!["userName"]);
        var firstPage = (await client.GetAsync($"/portal/api/directories/{directoryId}/users?count=1")).Expect(HttpStatusCode.OK);
        var next = (string)firstPage.Body!["nextCursor"]!;
        var secondPage = (await client.GetAsync($"/portal/api/directories/{directoryId}/users?count=1&cursor={Uri.EscapeDataString(next)}")).Expect(HttpStatusCode.OK);
        Assert.NotEqual((string?)firstPage.Body!["users"]![0]!["id"], (string?)secondPage.Body!["users"]![0]!["id"]);
    }

    [Fact]
    public async Task Setup_milestones_follow_the_first_probe_user_and_membership()
    {
        var (directoryId, scim) = await DirectoryWithScimAsync();
        var client = await fixture.SignedInAsync(directoryId);
        var writer = fixture.Host.Services.GetRequiredService<ActivityWriter>();
        async Task<JsonNode> MilestonesAsync()
        {
            await writer.FlushAsync(CancellationToken.None);
            return (await client.GetAsync($"/portal/api/directories/{directoryId}/setup")).Expect(HttpStatusCode.OK).Body!["milestones"]!;
        }

        var none = await MilestonesAsync();
        Assert.Null((string?)none["probeAt"]);
        await scim.GetAsync("/Users?filter=" + ScimClient.Filter("userName eq \"x@example.com\""));
        var probed = await MilestonesAsync();
        Assert.NotNull((string?)probed["probeAt"]);
        Assert.Null((string?)probed["firstUserAt"]);

        var user = (await scim.PostAsync("/Users", new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"), ["userName"] = "x@example.com" })).Id;
        await scim.PostAsync("/Groups", new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"), ["displayName"] = "Empty" });
        var withUser = await MilestonesAsync();
        Assert.NotNull((string?)withUser["firstUserAt"]);
        Assert.Null((string?)withUser["firstMembershipAt"]);
        Assert.Equal((string?)probed["probeAt"], (string?)withUser["probeAt"]);

        await scim.PostAsync("/Groups", new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"), ["displayName"] = "Full", ["members"] = ScimClient.MemberList(user) });
        Assert.NotNull((string?)(await MilestonesAsync())["firstMembershipAt"]);

        // The counters kept with the writes: one user, two groups.
        var counts = (await client.GetAsync($"/portal/api/directories/{directoryId}")).Expect(HttpStatusCode.OK).Body!["counts"]!;
        Assert.Equal((1, 2), (counts["users"]!.GetValue<long>(), counts["groups"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Bad_input_is_answered_with_a_client_error_never_a_server_error()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        var client = await fixture.SignedInAsync(directoryId);
        var root = $"/portal/api/directories/{directoryId}";
        var cases = new (HttpMethod Method, string Path, string? Raw, HttpStatusCode Expected)[]
        {
            (HttpMethod.Put, "/roles", "{", HttpStatusCode.BadRequest),
            (HttpMethod.Put, "/roles", "{\"mappings\": 5}", HttpStatusCode.BadRequest),
            (HttpMethod.Put, "/roles", "{\"mappings\": [{\"group\": {\"displayName\": \"X\"}, \"roles\": [\"nope\"]}]}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/roles/preview", "{\"defaultRole\": \"nope\"}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/roles/preview", "{\"mappings\": [{\"group\": {\"id\": \"../x\"}, \"roles\": []}]}", HttpStatusCode.BadRequest),
            (HttpMethod.Put, "/provider", "{\"provider\": 3}", HttpStatusCode.BadRequest),
            (HttpMethod.Put, "/provider", "\"OneLogin\"", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/tokens", "{\"label\": [\"x\"]}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/tokens", "{\"label\": \"" + new string('x', 3 * 1024 * 1024) + "\"}", HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/users/nosuchuser", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, "/users/" + new string('a', 32), null, HttpStatusCode.NotFound),
            (HttpMethod.Get, "/groups/nosuchgroup", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, "/groups/" + new string('b', 32) + "/members", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, "/users?count=0", null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/users?count=101", null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/users?cursor=garbage", null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/users?search=%22%5C%20or%20x", null, HttpStatusCode.OK),
            (HttpMethod.Get, "/groups?cursor=garbage", null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/requests?status=9xx", null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/requests?cursor=garbage", null, HttpStatusCode.BadRequest),
        };
        foreach (var (method, path, raw, expected) in cases)
        {
            var response = await client.SendAsync(method, root + path, rawBody: raw);
            Assert.True(response.Status == expected, $"{method} {path}: {(int)response.Status} {response.Text[..Math.Min(300, response.Text.Length)]}");
            if (expected != HttpStatusCode.OK) Assert.False(string.IsNullOrEmpty(response.Error), $"{method} {path}: no error code");
            PortalHeadersAssert.Secured(response);
        }
        (await client.GetAsync("/portal/api/directories/" + new string('z', 300))).Expect(HttpStatusCode.NotFound);
    }

    private async Task<(string DirectoryId, ScimClient Scim)> DirectoryWithScimAsync()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        var token = await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{directoryId}/tokens", new { label = "idp" }, HttpStatusCode.Created);
        return (directoryId, new ScimClient(fixture.Host.Client, directoryId, (string)token["token"]!));
    }
}
