using System.Net;
using System.Text.Json.Nodes;
using ScimFunctions.Activity;
using ScimFunctions.Tests.EndToEnd;

namespace ScimFunctions.Tests.Activity;

/// <summary>What the edge records of a SCIM request, over HTTP through the local host: the shape of the request,
/// never its personal data or its token.</summary>
public sealed class ActivityCaptureTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private const string UserName = "zoe.quartermain@example.test";

    private static readonly string[] PersonalValues =
    [
        UserName, "Zoë", "Quartermain-Fitzwilliam", "Zoë Quartermain-Fitzwilliam", "+44 20 7946 0958", "221B Baker Street", "EMP-99173",
        "Chief Synergy Officer", "Head of Lighthouse Keeping", "zq-external-4471",
    ];

    [Fact]
    public async Task A_request_full_of_personal_data_leaves_none_of_it_nor_the_token_in_the_stored_log()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
            ["userName"] = UserName,
            ["externalId"] = "zq-external-4471",
            ["name"] = new JsonObject { ["givenName"] = "Zoë", ["familyName"] = "Quartermain-Fitzwilliam", ["formatted"] = "Zoë Quartermain-Fitzwilliam" },
            ["displayName"] = "Zoë Quartermain-Fitzwilliam",
            ["emails"] = new JsonArray(new JsonObject { ["value"] = UserName, ["type"] = "work", ["primary"] = true }),
            ["phoneNumbers"] = new JsonArray(new JsonObject { ["value"] = "+44 20 7946 0958", ["type"] = "work" }),
            ["addresses"] = new JsonArray(new JsonObject { ["streetAddress"] = "221B Baker Street", ["type"] = "work" }),
            ["title"] = "Chief Synergy Officer",
            ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = new JsonObject { ["employeeNumber"] = "EMP-99173" },
            ["active"] = true,
        };
        var created = (await scim.PostAsync("/Users", user)).Expect(HttpStatusCode.Created);
        var conflict = (await scim.PostAsync("/Users", user)).Expect(HttpStatusCode.Conflict);
        Assert.Contains(UserName, conflict.Body!["detail"]!.GetValue<string>()); // the client is told; the log must not keep it
        (await scim.GetAsync("/Users?filter=" + ScimClient.Filter($"userName eq \"{UserName}\""))).Expect(HttpStatusCode.OK);
        (await scim.PostAsync("/Users/.search", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest"),
            ["filter"] = "title eq \"Chief Synergy Officer\"",
        })).Expect(HttpStatusCode.OK);
        (await scim.PatchAsync($"/Users/{created.Id}", ScimClient.Patch(
            new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = "Head of Lighthouse Keeping" }))).Expect(HttpStatusCode.OK);
        await fixture.Host.FlushAsync();

        var rows = await fixture.Host.StoredRowsAsync(scim.DirectoryId);
        Assert.True(rows.Count >= 6, $"expected 5 log rows and a status row, found {rows.Count}");
        var secret = scim.Token[(ScimFunctions.Auth.ScimToken.Prefix.Length + ScimFunctions.Auth.ScimToken.TokenIdLength + 1)..];
        foreach (var row in rows)
        {
            foreach (var (name, value) in row)
            {
                var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                foreach (var sent in PersonalValues) Assert.DoesNotContain(sent, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                Assert.DoesNotContain("Bearer", text, StringComparison.OrdinalIgnoreCase);
            }
        }

        // What is kept instead: names, masked literals, a detail and hint without the value, the token's id.
        var log = await fixture.Host.AllRequestsAsync(scim.DirectoryId);
        var create = log.Single(entry => entry["method"]!.GetValue<string>() == "POST" && entry["status"]!.GetValue<int>() == 201);
        var attributes = create["attributes"]!.AsArray().Select(name => name!.GetValue<string>()).ToList();
        Assert.Contains("userName", attributes);
        Assert.Contains("name.givenName", attributes);
        Assert.Contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.employeeNumber", attributes);
        Assert.Equal(created.Id, create["changedIds"]![0]!.GetValue<string>());
        Assert.Equal(scim.Token[ScimFunctions.Auth.ScimToken.Prefix.Length..][..ScimFunctions.Auth.ScimToken.TokenIdLength], create["tokenId"]!.GetValue<string>());
        Assert.Equal("Okta", create["provider"]!.GetValue<string>());
        Assert.Equal("Users", create["route"]!.GetValue<string>());

        var conflictEntry = log.Single(entry => entry["status"]!.GetValue<int>() == 409);
        Assert.Equal("uniqueness", conflictEntry["scimType"]!.GetValue<string>());
        Assert.Equal("The userName is already in use in this directory.", conflictEntry["detail"]!.GetValue<string>());
        Assert.Equal(ActivityHints.NameTaken, conflictEntry["hint"]!["code"]!.GetValue<string>());

        Assert.Contains(log, entry => entry["filter"]?.GetValue<string>() == "userName eq \"***\"");
        Assert.Contains(log, entry => entry["filter"]?.GetValue<string>() == "title eq \"***\"" && entry["route"]!.GetValue<string>() == "Users/.search");
        var patch = log.Single(entry => entry["method"]!.GetValue<string>() == "PATCH");
        Assert.Equal(["replace title"], patch["attributes"]!.AsArray().Select(name => name!.GetValue<string>()));
        Assert.Equal("Users/{id}", patch["route"]!.GetValue<string>());
        Assert.Equal(created.Id, patch["resourceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unauthenticated_and_discovery_requests_are_logged_with_a_hint_naming_the_token()
    {
        var scim = await fixture.NewDirectoryAsync("EntraId");
        var tokenId = scim.Token[ScimFunctions.Auth.ScimToken.Prefix.Length..][..ScimFunctions.Auth.ScimToken.TokenIdLength];
        var mismatched = scim.Token[..^4] + "AAAA";
        (await fixture.Host.SendWithTokenAsync(scim.DirectoryId, mismatched, HttpMethod.Get, "/Users")).Expect(HttpStatusCode.Unauthorized);
        (await fixture.Host.SendWithTokenAsync(scim.DirectoryId, "not-a-token", HttpMethod.Get, "/Groups")).Expect(HttpStatusCode.Unauthorized);
        (await scim.GetAsync("/ServiceProviderConfig")).Expect(HttpStatusCode.OK);
        (await scim.GetAsync("/Users?filter=" + ScimClient.Filter("userName eq"))).Expect(HttpStatusCode.BadRequest);
        await fixture.Host.FlushAsync();

        var log = await fixture.Host.AllRequestsAsync(scim.DirectoryId);
        Assert.Equal(4, log.Count);
        var wrongSecret = log.Single(entry => entry["route"]!.GetValue<string>() == "Users" && entry["status"]!.GetValue<int>() == 401);
        Assert.Equal(ActivityHints.WrongToken, wrongSecret["hint"]!["code"]!.GetValue<string>());
        Assert.Contains(tokenId, wrongSecret["hint"]!["text"]!.GetValue<string>());
        Assert.False(wrongSecret["authenticated"]!.GetValue<bool>());
        Assert.Equal(ActivityHints.MissingToken, log.Single(entry => entry["route"]!.GetValue<string>() == "Groups")["hint"]!["code"]!.GetValue<string>());
        var discovery = log.Single(entry => entry["route"]!.GetValue<string>() == "ServiceProviderConfig");
        Assert.Equal(200, discovery["status"]!.GetValue<int>());
        var invalidFilter = log.Single(entry => entry["status"]!.GetValue<int>() == 400);
        Assert.Equal(ActivityHints.InvalidFilter, invalidFilter["hint"]!["code"]!.GetValue<string>());
        Assert.Contains("position", invalidFilter["hint"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_revoked_token_is_named_with_when_it_was_revoked()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        using var minted = await fixture.Host.ManageSendAsync(HttpMethod.Post, $"/manage/directories/{scim.DirectoryId}/tokens", new JsonObject { ["label"] = "old" });
        var second = JsonNode.Parse(await minted.Content.ReadAsStringAsync())!;
        var secondId = second["id"]!.GetValue<string>();
        using var revoked = await fixture.Host.ManageSendAsync(HttpMethod.Delete, $"/manage/directories/{scim.DirectoryId}/tokens/{secondId}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        (await fixture.Host.SendWithTokenAsync(scim.DirectoryId, second["token"]!.GetValue<string>(), HttpMethod.Get, "/Users")).Expect(HttpStatusCode.Unauthorized);
        await fixture.Host.FlushAsync();

        var entry = Assert.Single(await fixture.Host.AllRequestsAsync(scim.DirectoryId));
        Assert.Equal(secondId, entry["tokenId"]!.GetValue<string>());
        Assert.Equal(ActivityHints.RevokedToken, entry["hint"]!["code"]!.GetValue<string>());
        Assert.Contains("revoked at", entry["hint"]!["text"]!.GetValue<string>());
    }
}
