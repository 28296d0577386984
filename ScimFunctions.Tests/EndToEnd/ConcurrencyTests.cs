using System.Net;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd;

public sealed class ConcurrencyTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    [Fact]
    public async Task Fifty_parallel_creates_of_one_user_name_give_one_201_and_49_uniqueness_409s()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            scim.PostAsync("/Users", new JsonObject { ["userName"] = i % 2 == 0 ? "race@example.test" : "RACE@example.test", ["active"] = true })));

        Assert.Single(responses, r => r.Status == HttpStatusCode.Created);
        var conflicts = responses.Where(r => r.Status == HttpStatusCode.Conflict).ToList();
        Assert.Equal(49, conflicts.Count);
        Assert.All(conflicts, r => Assert.Equal("uniqueness", r.Body!["scimType"]!.GetValue<string>()));
        var listed = (await scim.GetAsync("/Users")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, listed.Body!["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Fifty_parallel_patches_adding_distinct_members_all_land()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        var users = new string[50];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"member{i}@example.test" })).Expect(HttpStatusCode.Created).Id;
        }
        var group = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Crowded" })).Expect(HttpStatusCode.Created);

        var responses = await Task.WhenAll(users.Select(id =>
            scim.PatchAsync($"/Groups/{group.Id}", Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = MemberList(id) }))));

        Assert.All(responses, r => r.Expect(HttpStatusCode.NoContent));
        var members = (await scim.GetAsync($"/Groups/{group.Id}")).Expect(HttpStatusCode.OK).Body!["members"]!.AsArray();
        Assert.Equal(users.Order(), members.Select(m => m!["value"]!.GetValue<string>()).Order());
        Assert.True(users.ToHashSet().IsSubsetOf(fixture.Signal.SignalledUsers(scim.DirectoryId)));
    }
}
