using System.Net;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd;

/// <summary>OneLogin's "SCIM Provisioner with SAML (SCIM v2 Enterprise)", as idp-behaviour.md describes it.</summary>
public sealed class OneLoginScenarioTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    /// <summary>A body from an admin-edited SCIM JSON Template: legacy URNs, strings everywhere, an emails object.</summary>
    private static JsonObject Template(string userName, string familyName, string active) => JsonNode.Parse($$"""
        {
          "schemas": ["urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:2.0"],
          "id": null,
          "meta": {},
          "userName": "{{userName}}",
          "name": { "givenName": "Jane", "familyName": "{{familyName}}" },
          "emails": { "value": "{{userName}}", "type": "work" },
          "active": "{{active}}",
          "urn:scim:schemas:extension:enterprise:2.0": { "department": "R&D", "employeeNumber": "701" },
          "costCenterLabel": "CC-42"
        }
        """)!.AsObject();

    [Fact]
    public async Task Enable_probe_filter_then_post_put_updates_suspend_groups_members_and_delete()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");

        // Enable: a userName that does not exist gives 200 and an empty ListResponse.
        var probe = (await scim.GetAsync("/Users?filter=" + Filter("userName eq \"onelogin-probe-4711\""))).Expect(HttpStatusCode.OK);
        Assert.Equal("application/scim+json", probe.MediaType);
        Assert.Equal(0, probe.Body!["totalResults"]!.GetValue<int>());
        Assert.Empty(probe.Body["Resources"]!.AsArray());

        // Per user: filter, nothing found, so POST the template (OneLogin sends application/json).
        var byName = "/Users?filter=" + Filter("userName eq \"jane@example.com\"");
        Assert.Equal(0, (await scim.GetAsync(byName)).Body!["totalResults"]!.GetValue<int>());
        var created = (await scim.PostAsync("/Users", Template("jane@example.com", "Doe", "true"), "application/json")).Expect(HttpStatusCode.Created);
        Assert.Equal("application/scim+json", created.MediaType);
        var userId = created.Id;
        Assert.Equal("Jane", created.Body!["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal("Doe", created.Body["name"]!["familyName"]!.GetValue<string>());
        Assert.True(created.Body["active"]!.GetValue<bool>());
        Assert.Equal("jane@example.com", created.Body["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("R&D", created.Body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!["department"]!.GetValue<string>());
        Assert.Equal("CC-42", created.Body["costCenterLabel"]!.GetValue<string>());
        Assert.Equal(created.ETag, created.Body["meta"]!["version"]!.GetValue<string>());
        Assert.EndsWith($"{scim.BasePath}/Users/{userId}", created.Message.Headers.Location!.ToString());
        Assert.EndsWith($"{scim.BasePath}/Users/{userId}", created.Body["meta"]!["location"]!.GetValue<string>());

        // Next sync: the filter finds the user, so OneLogin PUTs the whole template.
        var found = (await scim.GetAsync(byName)).Expect(HttpStatusCode.OK);
        Assert.Equal(userId, found.Body!["Resources"]![0]!["id"]!.GetValue<string>());
        var updated = (await scim.PutAsync($"/Users/{userId}", Template("jane@example.com", "Smith", "true"), "application/json")).Expect(HttpStatusCode.OK);
        Assert.Equal("Smith", updated.Body!["name"]!["familyName"]!.GetValue<string>());
        Assert.NotEqual(created.ETag, updated.ETag);

        // Suspend: the update carries active "false"; the user stays readable.
        (await scim.PutAsync($"/Users/{userId}", Template("jane@example.com", "Smith", "false"), "application/json")).Expect(HttpStatusCode.OK);
        var suspended = (await scim.GetAsync($"/Users/{userId}")).Expect(HttpStatusCode.OK);
        Assert.False(suspended.Body!["active"]!.GetValue<bool>());

        // Groups: create, then Entitlements → Refresh lists them.
        var other = (await scim.PostAsync("/Users", Template("joe@example.com", "Bloggs", "true"), "application/json")).Expect(HttpStatusCode.Created).Id;
        var third = (await scim.PostAsync("/Users", Template("ann@example.com", "Lee", "true"), "application/json")).Expect(HttpStatusCode.Created).Id;
        var group = (await scim.PostAsync("/Groups", new JsonObject { ["schemas"] = new JsonArray("urn:scim:schemas:core:2.0"), ["displayName"] = "Sales" }, "application/json"))
            .Expect(HttpStatusCode.Created);
        var groups = (await scim.GetAsync("/Groups")).Expect(HttpStatusCode.OK);
        Assert.Contains(groups.Body!["Resources"]!.AsArray(), g => g!["displayName"]!.GetValue<string>() == "Sales");

        // Member add: PATCH with application/scim+json and an empty User-Agent.
        var add = Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = MemberList(userId, other, third) });
        var added = await scim.PatchAsync($"/Groups/{group.Id}", add, request => request.Headers.UserAgent.Clear());
        Assert.True(added.Status is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{added.Status}");
        var withMembers = (await scim.GetAsync($"/Groups/{group.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, withMembers.Body!["members"]!.AsArray().Count);
        var janeGroups = (await scim.GetAsync($"/Users/{userId}")).Body!["groups"]!.AsArray();
        Assert.Equal(group.Id, Assert.Single(janeGroups)!["value"]!.GetValue<string>());

        // Both removal shapes: a filtered path, and path "members" with a value list.
        (await scim.PatchAsync($"/Groups/{group.Id}", Patch(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{other}\"]" }))).Expect(HttpStatusCode.NoContent);
        var byList = new JsonObject { ["op"] = "remove", ["path"] = "members", ["value"] = MemberList(third) };
        (await scim.PatchAsync($"/Groups/{group.Id}", Patch(byList))).Expect(HttpStatusCode.NoContent);
        var remaining = (await scim.GetAsync($"/Groups/{group.Id}")).Body!["members"]!.AsArray();
        Assert.Equal(userId, Assert.Single(remaining)!["value"]!.GetValue<string>());

        // Delete: the user is gone, and so is its membership.
        (await scim.DeleteAsync($"/Users/{userId}")).Expect(HttpStatusCode.NoContent);
        (await scim.GetAsync($"/Users/{userId}")).Expect(HttpStatusCode.NotFound);
        var afterDelete = (await scim.GetAsync($"/Groups/{group.Id}")).Expect(HttpStatusCode.OK);
        Assert.Null(afterDelete.Body!["members"]);
        Assert.Contains(userId, fixture.Signal.SignalledUsers(scim.DirectoryId));
    }
}
