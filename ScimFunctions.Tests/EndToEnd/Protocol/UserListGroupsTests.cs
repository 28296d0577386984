using System.Net;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd.Protocol;

/// <summary>
/// RFC 7643 §4.1.2 marks a User's <c>groups</c> <c>returned: default</c>, so list and search pages carry them as a
/// read does unless they are left out (and then no group row is read); a page stops taking users at its group
/// budget (RFC 7644 §3.4.2.4 lets it hold fewer than <c>count</c>), the first user always whole, and paging by
/// index or cursor, typed or root, still reaches every user once.
/// </summary>
public sealed class UserListGroupsTests(SmallGroupBudgetHostFixture fixture) : IClassFixture<SmallGroupBudgetHostFixture>
{
    private static readonly JsonArray SearchSchemas = new("urn:ietf:params:scim:api:messages:2.0:SearchRequest");

    /// <summary>Users named member0.. in as many groups as <paramref name="groupCounts"/> says (groups G0.., user
    /// i in G0..G{counts[i]-1}).</summary>
    private Task<(ScimClient Scim, Dictionary<string, List<string>> GroupsByUser)> UsersAsync(params int[] groupCounts) =>
        UsersAsync(countsInIdOrder: false, groupCounts);

    /// <param name="countsInIdOrder">whether the counts go to the users in id order (the order of an unfiltered
    /// page) rather than in creation order</param>
    private async Task<(ScimClient Scim, Dictionary<string, List<string>> GroupsByUser)> UsersAsync(bool countsInIdOrder, params int[] groupCounts)
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var users = new List<string>();
        for (var i = 0; i < groupCounts.Length; i++)
        {
            users.Add((await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"member{i}@example.test" })).Expect(HttpStatusCode.Created).Id);
        }
        if (countsInIdOrder) users.Sort(StringComparer.Ordinal);
        var groupsByUser = users.ToDictionary(id => id, _ => new List<string>());
        for (var g = 0; g < groupCounts.Max(); g++)
        {
            var members = users.Where((_, i) => groupCounts[i] > g).ToArray();
            var group = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = $"G{g}", ["members"] = MemberList(members) })).Expect(HttpStatusCode.Created).Id;
            foreach (var member in members) groupsByUser[member].Add(group);
        }
        return (scim, groupsByUser);
    }

    private static JsonObject Search(params (string Name, JsonNode? Value)[] parameters)
    {
        var body = new JsonObject { ["schemas"] = SearchSchemas.DeepClone() };
        foreach (var (name, value) in parameters) body[name] = value;
        return body;
    }

    private static List<string> GroupIds(JsonNode user) =>
        user["groups"]?.AsArray().Select(g => g!["value"]!.GetValue<string>()).Order().ToList() ?? [];

    private static void AssertWhole(JsonNode user, Dictionary<string, List<string>> expected) =>
        Assert.Equal(expected[user["id"]!.GetValue<string>()].Order().ToList(), GroupIds(user));

    /// <summary>The users of a page; a typed page projected to <c>userName</c> has no <c>meta</c>, a root page always has it.</summary>
    private static List<JsonNode> Users(JsonNode page) =>
        page["Resources"]!.AsArray().Select(r => r!).Where(r => r["meta"]?["resourceType"]?.GetValue<string>() is null or "User").ToList();

    [Fact]
    public async Task List_and_search_pages_carry_each_users_groups_exactly_as_a_read_of_the_user()
    {
        var (scim, groupsByUser) = await UsersAsync(2, 0, 1);

        var listed = (await scim.GetAsync("/Users")).Expect(HttpStatusCode.OK).Body!;
        var searched = (await scim.PostAsync("/Users/.search", Search(("filter", "userName sw \"member\"")))).Expect(HttpStatusCode.OK).Body!;
        var rootSearched = (await scim.PostAsync("/.search", Search())).Expect(HttpStatusCode.OK).Body!;
        foreach (var page in new[] { listed, searched })
        {
            Assert.Equal(3, page["itemsPerPage"]!.GetValue<int>());
            foreach (var user in page["Resources"]!.AsArray())
            {
                AssertWhole(user!, groupsByUser);
                var read = (await scim.GetAsync($"/Users/{user!["id"]!.GetValue<string>()}")).Expect(HttpStatusCode.OK).Body!;
                Assert.Equal(read.ToJsonString(), user.ToJsonString());
            }
        }
        var rootUsers = Users(rootSearched);
        Assert.Equal(3, rootUsers.Count);
        foreach (var user in rootUsers) AssertWhole(user, groupsByUser);

        Assert.Single(listed["Resources"]!.AsArray(), u => u!["groups"] is null); // a user in no group has no groups attribute
        var reference = listed["Resources"]!.AsArray().First(u => GroupIds(u!).Count > 0)!["groups"]![0]!;
        Assert.Equal(["value", "display", "type", "$ref"], reference.AsObject().Select(p => p.Key));
        Assert.Equal("direct", reference["type"]!.GetValue<string>());
        Assert.EndsWith($"{scim.BasePath}/Groups/{reference["value"]!.GetValue<string>()}", reference["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task Excluding_or_not_selecting_groups_reads_no_group_row_and_an_unfiltered_page_reads_them_in_one_range()
    {
        var (scim, groupsByUser) = await UsersAsync(1, 2, 0, 1);

        fixture.GroupReads.Reset();
        var listed = (await scim.GetAsync("/Users?count=10")).Expect(HttpStatusCode.OK).Body!;
        Assert.Equal(1, fixture.GroupReads.Reads); // the page's memberOf rows in one range read, not one per user
        Assert.Equal(4, listed["itemsPerPage"]!.GetValue<int>());
        foreach (var user in listed["Resources"]!.AsArray()) AssertWhole(user!, groupsByUser);

        fixture.GroupReads.Reset();
        (await scim.PostAsync("/.search", Search())).Expect(HttpStatusCode.OK);
        Assert.Equal(1, fixture.GroupReads.Reads);

        fixture.GroupReads.Reset();
        List<ScimResponse> unselected =
        [
            await scim.GetAsync("/Users?excludedAttributes=groups"),
            await scim.GetAsync("/Users?attributes=userName"),
            await scim.GetAsync($"/Users?filter={Filter("userName sw \"member\"")}&excludedAttributes=groups"),
            await scim.GetAsync("/Users?cursor=&excludedAttributes=groups"),
            await scim.PostAsync("/Users/.search", Search(("excludedAttributes", new JsonArray("groups")))),
            await scim.PostAsync("/Users/.search", Search(("attributes", new JsonArray("userName")))),
            await scim.PostAsync("/.search", Search(("excludedAttributes", new JsonArray("groups")))),
        ];
        Assert.Equal(0, fixture.GroupReads.Reads);
        foreach (var response in unselected)
        {
            var page = response.Expect(HttpStatusCode.OK).Body!;
            Assert.Equal(4, Users(page).Count);
            Assert.All(Users(page), u => Assert.Null(u["groups"]));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("userName sw \"member\"")]
    public async Task A_first_user_past_the_budget_is_alone_on_its_page_even_when_users_in_no_group_follow_it(string? filter)
    {
        var (scim, groupsByUser) = await UsersAsync(countsInIdOrder: true, 7, 0, 0);
        var query = "/Users?startIndex=1&count=10" + (filter is null ? "" : $"&filter={Filter(filter)}");

        var first = (await scim.GetAsync(query)).Expect(HttpStatusCode.OK).Body!["Resources"]!.AsArray();
        var rest = (await scim.GetAsync(query.Replace("startIndex=1", "startIndex=2"))).Expect(HttpStatusCode.OK).Body!["Resources"]!.AsArray();

        var user = Assert.Single(first);
        Assert.Equal(7, GroupIds(user!).Count);
        AssertWhole(user!, groupsByUser);
        Assert.Equal(2, rest.Count);
        Assert.All(rest, u => Assert.Empty(GroupIds(u!)));
    }

    [Fact]
    public async Task A_page_stops_at_its_group_budget_and_index_paging_reaches_every_user_once_whole()
    {
        // Budget 5: users are taken while their groups fit; the one in 7 groups is alone (and whole) on its page.
        var (scim, groupsByUser) = await UsersAsync(3, 2, 3, 7, 1, 1, 0);

        foreach (var filter in new[] { null, "userName sw \"member\"" })
        {
            var seen = new List<string>();
            var pages = new List<int>();
            for (var start = 1; ;)
            {
                var query = $"/Users?startIndex={start}&count=10" + (filter is null ? "" : $"&filter={Filter(filter)}");
                var page = (await scim.GetAsync(query)).Expect(HttpStatusCode.OK).Body!;
                Assert.Equal(groupsByUser.Count, page["totalResults"]!.GetValue<int>());
                Assert.Equal(start, page["startIndex"]!.GetValue<int>());
                var resources = page["Resources"]!.AsArray();
                Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
                if (resources.Count == 0) break;
                var groups = resources.Sum(u => GroupIds(u!).Count);
                Assert.True(resources.Count == 1 || groups <= SmallGroupBudgetHostFixture.Budget, $"{groups} groups on a page of {resources.Count}");
                foreach (var user in resources)
                {
                    AssertWhole(user!, groupsByUser);
                    seen.Add(user!["id"]!.GetValue<string>());
                }
                pages.Add(resources.Count);
                start += resources.Count;
            }
            Assert.Equal(groupsByUser.Keys.Order(), seen.Order());
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Contains(pages, count => count < groupsByUser.Count); // the budget did cut pages short
        }
    }

    [Fact]
    public async Task Cursor_search_and_root_search_paging_reach_every_user_once_whole_under_the_budget()
    {
        var (scim, groupsByUser) = await UsersAsync(4, 4, 6, 0, 2);
        var groupIds = groupsByUser.Values.SelectMany(g => g).Distinct().Order().ToList();

        var seen = new List<string>();
        var cursor = "";
        var pages = 0;
        while (true)
        {
            var page = (await scim.GetAsync($"/Users?cursor={Uri.EscapeDataString(cursor)}&count=10")).Expect(HttpStatusCode.OK).Body!;
            var resources = page["Resources"]!.AsArray();
            Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
            foreach (var user in resources)
            {
                AssertWhole(user!, groupsByUser);
                seen.Add(user!["id"]!.GetValue<string>());
            }
            pages++;
            if (page["nextCursor"] is not { } next) break;
            cursor = next.GetValue<string>();
        }
        Assert.Equal(groupsByUser.Keys.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(pages > 1, "one page held every user despite the budget");

        var sorted = new List<string>();
        for (var start = 1; ;)
        {
            var page = (await scim.PostAsync("/Users/.search", Search(("startIndex", start), ("count", 10), ("sortBy", "userName")))).Expect(HttpStatusCode.OK).Body!;
            var resources = page["Resources"]!.AsArray();
            if (resources.Count == 0) break;
            foreach (var user in resources)
            {
                AssertWhole(user!, groupsByUser);
                sorted.Add(user!["userName"]!.GetValue<string>());
            }
            start += page["itemsPerPage"]!.GetValue<int>();
        }
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"member{i}@example.test"), sorted);

        // The root search: users (cut by their budget, never followed by groups on a cut page), then groups.
        foreach (var byCursor in new[] { false, true })
        {
            var users = new List<string>();
            var groups = new List<string>();
            string? rootCursor = byCursor ? "" : null;
            var rootPages = 0;
            for (var start = 1; rootPages < 20; rootPages++)
            {
                var body = byCursor ? Search(("cursor", rootCursor), ("count", 10)) : Search(("startIndex", start), ("count", 10));
                var page = (await scim.PostAsync("/.search", body)).Expect(HttpStatusCode.OK).Body!;
                var resources = page["Resources"]!.AsArray();
                Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
                foreach (var resource in resources)
                {
                    var id = resource!["id"]!.GetValue<string>();
                    if (resource["meta"]!["resourceType"]!.GetValue<string>() == "User")
                    {
                        Assert.Empty(groups); // every user comes before any group
                        AssertWhole(resource, groupsByUser);
                        users.Add(id);
                    }
                    else
                    {
                        groups.Add(id);
                    }
                }
                if (byCursor)
                {
                    if (page["nextCursor"] is not { } next) break;
                    rootCursor = next.GetValue<string>();
                }
                else
                {
                    Assert.Equal(groupsByUser.Count + groupIds.Count, page["totalResults"]!.GetValue<int>());
                    if (resources.Count == 0) break;
                    start += resources.Count;
                }
            }
            Assert.Equal(groupsByUser.Keys.Order(), users.Order());
            Assert.Equal(users.Count, users.Distinct().Count());
            Assert.Equal(groupIds, groups.Order());
            Assert.Equal(groups.Count, groups.Distinct().Count());
        }
    }
}
