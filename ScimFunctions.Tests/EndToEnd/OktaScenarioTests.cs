using System.Net;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd;

/// <summary>Okta's SCIM 2.0 client: import paging, create with 409 on duplicates, PUT, deactivate, group push.</summary>
public sealed class OktaScenarioTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private static void OktaAgent(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("User-Agent", "Okta SCIM Client 1.0.0");

    private static JsonObject UserBody(string userName, string givenName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
        ["name"] = new JsonObject { ["givenName"] = givenName, ["familyName"] = "Okta" },
        ["emails"] = new JsonArray(new JsonObject { ["primary"] = true, ["value"] = userName, ["type"] = "work" }),
        ["displayName"] = givenName + " Okta",
        ["locale"] = "en-US",
        ["externalId"] = "00u" + userName.GetHashCode().ToString("x"),
        ["groups"] = new JsonArray(),
        ["password"] = "t1meMa$heen",
        ["active"] = true,
    };

    [Fact]
    public async Task Import_create_duplicate_put_deactivate_and_group_push()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");

        var lookup = (await scim.GetAsync("/Users?filter=" + Filter("userName eq \"kim@okta.test\"") + "&startIndex=1&count=100", OktaAgent)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, lookup.Body!["totalResults"]!.GetValue<int>());
        Assert.Equal(1, lookup.Body["startIndex"]!.GetValue<int>());
        Assert.Equal(0, lookup.Body["itemsPerPage"]!.GetValue<int>());

        var created = (await scim.PostAsync("/Users", UserBody("kim@okta.test", "Kim"))).Expect(HttpStatusCode.Created);
        Assert.Null(created.Body!["password"]);
        var duplicate = (await scim.PostAsync("/Users", UserBody("KIM@okta.test", "Kim"))).Expect(HttpStatusCode.Conflict);
        Assert.Equal("uniqueness", duplicate.Body!["scimType"]!.GetValue<string>());
        Assert.Equal("409", duplicate.Body["status"]!.GetValue<string>());

        // Updates: GET, then a full PUT.
        var current = (await scim.GetAsync($"/Users/{created.Id}", OktaAgent)).Expect(HttpStatusCode.OK);
        var replacement = UserBody("kim@okta.test", "Kimberly");
        replacement["id"] = created.Id;
        replacement.Remove("locale");
        var put = (await scim.PutAsync($"/Users/{created.Id}", replacement)).Expect(HttpStatusCode.OK);
        Assert.Equal("Kimberly", put.Body!["name"]!["givenName"]!.GetValue<string>());
        Assert.Null(put.Body["locale"]); // full replace, not merge
        Assert.NotEqual(current.ETag, put.ETag);

        // Deactivate: a no-path replace. Okta never deletes users.
        var deactivated = (await scim.PatchAsync($"/Users/{created.Id}", Patch(new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["active"] = false } }))).Expect(HttpStatusCode.OK);
        Assert.False(deactivated.Body!["active"]!.GetValue<bool>());

        // Import pages: integers, stable order.
        var others = new List<string>();
        for (var i = 0; i < 3; i++) others.Add((await scim.PostAsync("/Users", UserBody($"user{i}@okta.test", $"U{i}"))).Expect(HttpStatusCode.Created).Id);
        var firstPage = (await scim.GetAsync("/Users?startIndex=1&count=2", OktaAgent)).Expect(HttpStatusCode.OK);
        var secondPage = (await scim.GetAsync("/Users?startIndex=3&count=2", OktaAgent)).Expect(HttpStatusCode.OK);
        Assert.Equal(4, firstPage.Body!["totalResults"]!.GetValue<int>());
        var ids = firstPage.Body["Resources"]!.AsArray().Concat(secondPage.Body!["Resources"]!.AsArray()).Select(r => r!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(ids, (await scim.GetAsync("/Users?startIndex=1&count=100")).Body!["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));

        // Group push: POST with empty members, then rename re-sent with each membership change.
        var group = (await scim.PostAsync("/Groups", new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"), ["displayName"] = "Pushed", ["members"] = new JsonArray() }))
            .Expect(HttpStatusCode.Created);
        var rename = new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["id"] = group.Id, ["displayName"] = "Pushed Renamed" } };
        var firstPush = await scim.PatchAsync($"/Groups/{group.Id}", Patch(rename,
            new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = MemberList(created.Id, others[0], others[1]) }));
        Assert.True(firstPush.Status is HttpStatusCode.OK or HttpStatusCode.NoContent);
        Assert.Contains((scim.DirectoryId, group.Id), fixture.Signal.Groups);
        var secondPush = await scim.PatchAsync($"/Groups/{group.Id}", Patch((JsonObject)rename.DeepClone(),
            new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{others[0]}\"]" },
            new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = MemberList(others[2]) }));
        Assert.True(secondPush.Status is HttpStatusCode.OK or HttpStatusCode.NoContent);
        var pushed = (await scim.GetAsync($"/Groups/{group.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Pushed Renamed", pushed.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(new[] { created.Id, others[1], others[2] }.Order(), pushed.Body["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order());

        // Full replace of members.
        (await scim.PatchAsync($"/Groups/{group.Id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "members", ["value"] = MemberList(others[0]) }))).Expect(HttpStatusCode.NoContent);
        var replaced = (await scim.GetAsync($"/Groups/{group.Id}")).Body!["members"]!.AsArray();
        Assert.Equal(others[0], Assert.Single(replaced)!["value"]!.GetValue<string>());

        // Unlink deletes the group; the users stay.
        (await scim.DeleteAsync($"/Groups/{group.Id}")).Expect(HttpStatusCode.NoContent);
        (await scim.GetAsync($"/Groups/{group.Id}")).Expect(HttpStatusCode.NotFound);
        Assert.Null((await scim.GetAsync($"/Users/{others[0]}")).Expect(HttpStatusCode.OK).Body!["groups"]);
    }
}
