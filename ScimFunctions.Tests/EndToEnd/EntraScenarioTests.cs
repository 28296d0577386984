using System.Net;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd;

/// <summary>Microsoft Entra ID provisioning, default and <c>aadOptscim062020</c> behaviour.</summary>
public sealed class EntraScenarioTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    [Fact]
    public async Task Test_connection_default_and_aadOptscim062020_patch_shapes_groups_and_soft_delete()
    {
        var scim = await fixture.NewDirectoryAsync("EntraId");

        // Saving the configuration reads /Schemas; test connection filters on a random value and fetches random ids.
        var schemas = (await scim.GetAsync("/Schemas")).Expect(HttpStatusCode.OK);
        Assert.Contains(schemas.Body!["Resources"]!.AsArray(), s => s!["id"]!.GetValue<string>() == "urn:ietf:params:scim:schemas:core:2.0:User");
        var random = Guid.NewGuid().ToString();
        var empty = (await scim.GetAsync("/Users?filter=" + Filter($"userName eq \"{random}\""))).Expect(HttpStatusCode.OK);
        Assert.Equal(0, empty.Body!["totalResults"]!.GetValue<int>());
        var missingUser = (await scim.GetAsync($"/Users/{random}")).Expect(HttpStatusCode.NotFound);
        Assert.Equal("404", missingUser.Body!["status"]!.GetValue<string>());
        Assert.Null(missingUser.Body["scimType"]);
        (await scim.GetAsync($"/Groups/{random}")).Expect(HttpStatusCode.NotFound);

        // Create: roles: [] and an externalId; then found by externalId and by the work email.
        var body = JsonNode.Parse($$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "{{Enterprise}}"],
              "externalId": "aad-0001",
              "userName": "Pat@Contoso.com",
              "active": true,
              "displayName": "Pat",
              "emails": [{ "primary": true, "type": "work", "value": "pat@contoso.com" }],
              "name": { "formatted": "Pat Jones", "familyName": "Jones", "givenName": "Pat" },
              "roles": [],
              "{{Enterprise}}": { "department": "Finance" }
            }
            """)!;
        var user = (await scim.PostAsync("/Users", body)).Expect(HttpStatusCode.Created);
        Assert.Equal(user.Id, (await scim.GetAsync("/Users?filter=" + Filter("externalId eq \"aad-0001\""))).Body!["Resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(1, (await scim.GetAsync("/Users?filter=" + Filter("emails[type eq \"work\"].value eq \"pat@contoso.com\""))).Body!["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await scim.GetAsync("/Users?filter=" + Filter("userName eq \"pat@contoso.com\""))).Body!["totalResults"]!.GetValue<int>());

        // Default job: capitalised ops, one attribute per op, string booleans.
        var defaultShape = Patch(
            new JsonObject { ["op"] = "Replace", ["path"] = "emails[type eq \"work\"].value", ["value"] = "pat.jones@contoso.com" },
            new JsonObject { ["op"] = "Add", ["path"] = $"{Enterprise}:employeeNumber", ["value"] = "E-77" },
            new JsonObject { ["op"] = "Replace", ["path"] = "active", ["value"] = "False" });
        var softDeleted = (await scim.PatchAsync($"/Users/{user.Id}", defaultShape)).Expect(HttpStatusCode.OK);
        Assert.False(softDeleted.Body!["active"]!.GetValue<bool>());
        Assert.Equal("E-77", softDeleted.Body[Enterprise]!["employeeNumber"]!.GetValue<string>());
        // Soft delete keeps the user readable.
        var read = (await scim.GetAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("pat.jones@contoso.com", read.Body!["emails"]![0]!["value"]!.GetValue<string>());
        Assert.False(read.Body["active"]!.GetValue<bool>());

        // aadOptscim062020: lowercase ops, real booleans, no-path replace with dotted keys.
        var modern = Patch(new JsonObject
        {
            ["op"] = "replace",
            ["value"] = new JsonObject { ["active"] = true, ["name.givenName"] = "Patricia", ["displayName"] = "Patricia Jones" },
        });
        var reactivated = (await scim.PatchAsync($"/Users/{user.Id}", modern)).Expect(HttpStatusCode.OK);
        Assert.True(reactivated.Body!["active"]!.GetValue<bool>());
        Assert.Equal("Patricia", reactivated.Body["name"]!["givenName"]!.GetValue<string>());

        // Groups: looked up by displayName without members, created empty, membership by PATCH.
        var lookup = (await scim.GetAsync("/Groups?excludedAttributes=members&filter=" + Filter("displayName eq \"Finance Team\""))).Expect(HttpStatusCode.OK);
        Assert.Equal(0, lookup.Body!["totalResults"]!.GetValue<int>());
        var groupBody = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"),
            ["displayName"] = "Finance Team",
            ["externalId"] = "aad-g-1",
            ["members"] = new JsonArray(),
        };
        var group = (await scim.PostAsync("/Groups", groupBody)).Expect(HttpStatusCode.Created);
        var second = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "sam@contoso.com", ["active"] = true })).Expect(HttpStatusCode.Created).Id;
        var add = await scim.PatchAsync($"/Groups/{group.Id}", Patch(new JsonObject { ["op"] = "Add", ["path"] = "members", ["value"] = MemberList(user.Id, second) }));
        Assert.True(add.Status is HttpStatusCode.OK or HttpStatusCode.NoContent);
        var listed = (await scim.GetAsync("/Groups?excludedAttributes=members&filter=" + Filter("displayName eq \"Finance Team\""))).Expect(HttpStatusCode.OK);
        var listedGroup = Assert.Single(listed.Body!["Resources"]!.AsArray())!;
        Assert.Equal(group.Id, listedGroup["id"]!.GetValue<string>());
        Assert.Null(listedGroup["members"]);
        var excluded = (await scim.GetAsync($"/Groups/{group.Id}?excludedAttributes=members")).Expect(HttpStatusCode.OK);
        Assert.Null(excluded.Body!["members"]);
        Assert.Equal("Finance Team", excluded.Body["displayName"]!.GetValue<string>());

        // Default removal: Remove with a value list; aadOptscim062020 removal: a filtered path.
        (await scim.PatchAsync($"/Groups/{group.Id}", Patch(new JsonObject { ["op"] = "Remove", ["path"] = "members", ["value"] = MemberList(second) }))).Expect(HttpStatusCode.NoContent);
        (await scim.PatchAsync($"/Groups/{group.Id}", Patch(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{user.Id}\"]" }))).Expect(HttpStatusCode.NoContent);
        Assert.Null((await scim.GetAsync($"/Groups/{group.Id}")).Body!["members"]);

        // Hard delete.
        (await scim.DeleteAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.NoContent);
        (await scim.GetAsync($"/Users/{user.Id}")).Expect(HttpStatusCode.NotFound);
    }
}
