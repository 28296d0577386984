using System.Net;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd.Protocol;

/// <summary>
/// RFC 7643 §4.2 marks a Group's <c>members</c> <c>returned: default</c>, so list and search pages carry them
/// unless excluded; a page stops taking groups at its member budget (RFC 7644 §3.4.2.4 lets it hold fewer than
/// <c>count</c>), the first group always whole, and paging by index or cursor still reaches every group once.
/// </summary>
public sealed class GroupListMembersTests(SmallMemberBudgetHostFixture fixture) : IClassFixture<SmallMemberBudgetHostFixture>
{
    private static readonly JsonArray SearchSchemas = new("urn:ietf:params:scim:api:messages:2.0:SearchRequest");

    /// <summary>Groups named G0.. with the given member counts, out of one pool of users.</summary>
    private async Task<(ScimClient Scim, Dictionary<string, List<string>> MembersByGroup)> GroupsAsync(params int[] sizes)
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var users = new List<string>();
        for (var i = 0; i < sizes.Max(); i++)
        {
            users.Add((await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"member{i}@example.test" })).Expect(HttpStatusCode.Created).Id);
        }
        var groups = new Dictionary<string, List<string>>();
        for (var g = 0; g < sizes.Length; g++)
        {
            var members = users.Take(sizes[g]).ToList();
            var created = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = $"G{g}", ["members"] = MemberList([.. members]) })).Expect(HttpStatusCode.Created);
            groups[created.Id] = members;
        }
        return (scim, groups);
    }

    private static List<string> MemberIds(JsonNode group) =>
        group["members"]?.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order().ToList() ?? [];

    private static void AssertWhole(JsonNode group, Dictionary<string, List<string>> expected) =>
        Assert.Equal(expected[group["id"]!.GetValue<string>()].Order().ToList(), MemberIds(group));

    [Fact]
    public async Task Lists_and_searches_carry_each_groups_members_unless_excluded()
    {
        var (scim, groups) = await GroupsAsync(2, 1, 0);

        var listed = (await scim.GetAsync("/Groups")).Expect(HttpStatusCode.OK).Body!;
        Assert.Equal(3, listed["itemsPerPage"]!.GetValue<int>());
        foreach (var group in listed["Resources"]!.AsArray()) AssertWhole(group!, groups);
        Assert.Single(listed["Resources"]!.AsArray(), g => g!["members"] is null); // an empty group has no members attribute
        var first = listed["Resources"]!.AsArray().First(g => MemberIds(g!).Count > 0)!["members"]![0]!;
        Assert.Equal(["value", "display", "type", "$ref"], first.AsObject().Select(p => p.Key));

        var searched = (await scim.PostAsync("/Groups/.search", new JsonObject { ["schemas"] = SearchSchemas.DeepClone(), ["filter"] = "displayName eq \"G0\"" }))
            .Expect(HttpStatusCode.OK).Body!;
        AssertWhole(Assert.Single(searched["Resources"]!.AsArray())!, groups);

        var excluded = (await scim.GetAsync("/Groups?excludedAttributes=members")).Expect(HttpStatusCode.OK).Body!;
        Assert.Equal(3, excluded["itemsPerPage"]!.GetValue<int>());
        Assert.All(excluded["Resources"]!.AsArray(), g => Assert.Null(g!["members"]));
        var searchedExcluded = (await scim.PostAsync("/Groups/.search", new JsonObject { ["schemas"] = SearchSchemas.DeepClone(), ["excludedAttributes"] = new JsonArray("members") }))
            .Expect(HttpStatusCode.OK).Body!;
        Assert.All(searchedExcluded["Resources"]!.AsArray(), g => Assert.Null(g!["members"]));
    }

    [Fact]
    public async Task A_page_stops_at_its_member_budget_and_index_paging_reaches_every_group_once_whole()
    {
        // Budget 5: [3,2] fit, 3 does not fit after them, 7 is alone (and whole) as the first of its page.
        var (scim, groups) = await GroupsAsync(3, 2, 3, 7, 1, 1);

        var seen = new List<string>();
        var pages = new List<int>();
        for (var start = 1; ;)
        {
            var page = (await scim.GetAsync($"/Groups?startIndex={start}&count=10")).Expect(HttpStatusCode.OK).Body!;
            Assert.Equal(groups.Count, page["totalResults"]!.GetValue<int>());
            Assert.Equal(start, page["startIndex"]!.GetValue<int>());
            var resources = page["Resources"]!.AsArray();
            Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
            if (resources.Count == 0) break;
            var members = resources.Sum(g => MemberIds(g!).Count);
            Assert.True(resources.Count == 1 || members <= SmallMemberBudgetHostFixture.Budget, $"{members} members on a page of {resources.Count}");
            foreach (var group in resources)
            {
                AssertWhole(group!, groups);
                seen.Add(group!["id"]!.GetValue<string>());
            }
            pages.Add(resources.Count);
            start += resources.Count;
        }

        Assert.Equal(groups.Keys.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains(pages, count => count < groups.Count); // the budget did cut pages short
    }

    [Fact]
    public async Task Cursor_paging_and_search_paging_reach_every_group_once_whole_under_the_budget()
    {
        var (scim, groups) = await GroupsAsync(4, 4, 6, 0, 2);

        var seen = new List<string>();
        var cursor = "";
        var pages = 0;
        while (true)
        {
            var page = (await scim.GetAsync($"/Groups?cursor={Uri.EscapeDataString(cursor)}&count=10")).Expect(HttpStatusCode.OK).Body!;
            var resources = page["Resources"]!.AsArray();
            Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
            foreach (var group in resources)
            {
                AssertWhole(group!, groups);
                seen.Add(group!["id"]!.GetValue<string>());
            }
            pages++;
            if (page["nextCursor"] is not { } next) break;
            cursor = next.GetValue<string>();
        }
        Assert.Equal(groups.Keys.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(pages > 1, "one page held every group despite the budget");

        var searched = new List<string>();
        for (var start = 1; ;)
        {
            var page = (await scim.PostAsync("/Groups/.search", new JsonObject { ["schemas"] = SearchSchemas.DeepClone(), ["startIndex"] = start, ["count"] = 10, ["sortBy"] = "displayName" }))
                .Expect(HttpStatusCode.OK).Body!;
            var resources = page["Resources"]!.AsArray();
            if (resources.Count == 0) break;
            foreach (var group in resources)
            {
                AssertWhole(group!, groups);
                searched.Add(group!["displayName"]!.GetValue<string>());
            }
            start += page["itemsPerPage"]!.GetValue<int>();
        }
        Assert.Equal(["G0", "G1", "G2", "G3", "G4"], searched);
    }

    [Fact]
    public async Task A_sorted_root_search_page_ends_at_the_first_group_the_budget_leaves_out_and_the_next_page_starts_there()
    {
        var (scim, groups) = await GroupsAsync(4, 4, 6, 0, 2);

        var seen = new List<JsonNode>();
        var pages = 0;
        for (var start = 1; ;)
        {
            var page = (await scim.PostAsync("/.search", new JsonObject { ["schemas"] = SearchSchemas.DeepClone(), ["startIndex"] = start, ["count"] = 10, ["sortBy"] = "displayName" }))
                .Expect(HttpStatusCode.OK).Body!;
            Assert.Equal(11, page["totalResults"]!.GetValue<int>());
            var resources = page["Resources"]!.AsArray();
            Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
            if (resources.Count == 0) break;
            seen.AddRange(resources.Select(r => r!.DeepClone()));
            pages++;
            start += resources.Count;
        }
        // Groups carry a displayName, the members none: the groups come first, in name order, each whole.
        Assert.Equal(["G0", "G1", "G2", "G3", "G4"], seen.Take(5).Select(g => g["displayName"]!.GetValue<string>()));
        foreach (var group in seen.Take(5)) AssertWhole(group, groups);
        Assert.All(seen.Skip(5), user => Assert.Equal("User", user["meta"]!["resourceType"]!.GetValue<string>()));
        Assert.Equal(6, seen.Skip(5).Select(u => u["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(4, pages); // [G0] [G1] [G2] [G3 G4 and the users]: each cut before a group that did not fit
    }

    [Fact]
    public async Task A_group_read_carries_all_its_members_beyond_any_budget()
    {
        var (scim, groups) = await GroupsAsync(12);
        var id = groups.Keys.Single();

        var read = (await scim.GetAsync($"/Groups/{id}")).Expect(HttpStatusCode.OK);
        AssertWhole(read.Body!, groups);
        var listed = (await scim.GetAsync("/Groups")).Expect(HttpStatusCode.OK).Body!;
        AssertWhole(Assert.Single(listed["Resources"]!.AsArray())!, groups);
        Assert.Equal(read.Body!.ToJsonString(), listed["Resources"]![0]!.ToJsonString());

        var values = (await scim.GetAsync($"/Groups/{id}?attributes=members.value")).Expect(HttpStatusCode.OK).Body!;
        Assert.All(values["members"]!.AsArray(), m => Assert.Equal(["value"], m!.AsObject().Select(p => p.Key)));
        Assert.Equal(12, values["members"]!.AsArray().Count);
        Assert.Null(values["displayName"]);
    }
}
