using System.Net;
using System.Text.Json.Nodes;
using ScimFunctions.Tests.EndToEnd;

namespace ScimFunctions.Tests.Functions.Search;

/// <summary><c>POST /.search</c> over HTTP through the local host: users then groups, filter, attributes, sorting and
/// both paging methods across the two types.</summary>
public sealed class RootSearchFunctionTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private const string SearchRequestSchema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

    /// <summary>Two users and two groups; returns (users in id order, groups in id order).</summary>
    private static async Task<(List<string> Users, List<string> Groups)> PopulateAsync(ScimClient scim)
    {
        var users = new List<string>();
        foreach (var (userName, displayName) in new[] { ("alice@example.test", "Alice"), ("bob@example.test", "Bob") })
        {
            users.Add((await scim.PostAsync("/Users", new JsonObject { ["userName"] = userName, ["displayName"] = displayName })).Expect(HttpStatusCode.Created).Id);
        }
        var groups = new List<string>();
        foreach (var displayName in new[] { "Admins", "Blue team" })
        {
            groups.Add((await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = displayName, ["members"] = ScimClient.MemberList(users[0]) })).Expect(HttpStatusCode.Created).Id);
        }
        return (users.Order(StringComparer.Ordinal).ToList(), groups.Order(StringComparer.Ordinal).ToList());
    }

    private static JsonObject Search(Action<JsonObject>? configure = null)
    {
        var body = new JsonObject { ["schemas"] = new JsonArray(SearchRequestSchema) };
        configure?.Invoke(body);
        return body;
    }

    private static async Task<JsonObject> SearchAsync(ScimClient scim, Action<JsonObject>? configure = null)
    {
        var response = (await scim.PostAsync("/.search", Search(configure))).Expect(HttpStatusCode.OK);
        Assert.Equal("application/scim+json", response.MediaType);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", response.Body!["schemas"]![0]!.GetValue<string>());
        return response.Body.AsObject();
    }

    private static List<string> Ids(JsonObject page) => page["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();

    private static List<string> Types(JsonObject page) => page["Resources"]!.AsArray().Select(r => r!["meta"]!["resourceType"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Users_come_first_then_groups_each_with_its_schemas_and_resourceType()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var (users, groups) = await PopulateAsync(scim);
        var page = await SearchAsync(scim);

        Assert.Equal(4, page["totalResults"]!.GetValue<int>());
        Assert.Equal(4, page["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(1, page["startIndex"]!.GetValue<int>());
        Assert.Equal([.. users, .. groups], Ids(page));
        Assert.Equal(["User", "User", "Group", "Group"], Types(page));
        var resources = page["Resources"]!.AsArray();
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", resources[0]!["schemas"]![0]!.GetValue<string>());
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:Group", resources[3]!["schemas"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_filter_applies_to_both_types_and_an_attribute_one_type_lacks_matches_none_of_it()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var (users, groups) = await PopulateAsync(scim);

        // displayName belongs to both types: a user and a group start with "A".
        var both = await SearchAsync(scim, body => body["filter"] = "displayName sw \"A\"");
        Assert.Equal(2, both["totalResults"]!.GetValue<int>());
        Assert.Equal(["User", "Group"], Types(both));

        // Groups have no userName, users no members: each filter finds only its own type.
        var byUserName = await SearchAsync(scim, body => body["filter"] = "userName eq \"bob@example.test\"");
        Assert.Equal([users.Single(u => u != Ids(both)[0])], Ids(byUserName));
        Assert.Equal(1, byUserName["totalResults"]!.GetValue<int>());
        var byMember = await SearchAsync(scim, body => body["filter"] = "displayName eq \"Blue team\" or userName eq \"nobody\"");
        Assert.Equal(["Group"], Types(byMember));

        var broken = await scim.PostAsync("/.search", Search(body => body["filter"] = "displayName eq"));
        broken.Expect(HttpStatusCode.BadRequest);
        Assert.Equal("invalidFilter", broken.Body!["scimType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Attributes_and_excludedAttributes_project_each_type()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        await PopulateAsync(scim);

        var projected = await SearchAsync(scim, body => body["attributes"] = new JsonArray("displayName"));
        foreach (var resource in projected["Resources"]!.AsArray())
        {
            Assert.NotNull(resource!["displayName"]);
            Assert.NotNull(resource["id"]);
            Assert.NotNull(resource["schemas"]);
            Assert.NotNull(resource["meta"]!["resourceType"]);
            Assert.Null(resource["userName"]);
            Assert.Null(resource["members"]);
        }
        Assert.Equal(["User", "User", "Group", "Group"], Types(projected));

        var excluded = await SearchAsync(scim, body => body["excludedAttributes"] = "displayName,meta");
        Assert.All(excluded["Resources"]!.AsArray(), resource => Assert.Null(resource!["displayName"]));
        Assert.Equal(["User", "User", "Group", "Group"], Types(excluded));
        Assert.Equal(2, excluded["Resources"]!.AsArray().Count(r => r!["userName"] is not null));
    }

    [Theory]
    [InlineData("ascending", new[] { "Admins", "Alice", "Blue team", "Bob" })]
    [InlineData("descending", new[] { "Bob", "Blue team", "Alice", "Admins" })]
    public async Task SortBy_orders_users_and_groups_together(string sortOrder, string[] expected)
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        await PopulateAsync(scim);
        var page = await SearchAsync(scim, body =>
        {
            body["sortBy"] = "displayName";
            body["sortOrder"] = sortOrder;
        });
        Assert.Equal(expected, page["Resources"]!.AsArray().Select(r => r!["displayName"]!.GetValue<string>()));
        Assert.Equal(["Group", "User", "Group", "User"], sortOrder == "ascending" ? Types(page) : Types(page).AsEnumerable().Reverse());
        Assert.Equal(4, page["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task SortBy_an_attribute_groups_lack_puts_them_last_ascending_and_first_descending()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var (_, groups) = await PopulateAsync(scim);
        var ascending = await SearchAsync(scim, body => body["sortBy"] = "userName");
        Assert.Equal(["alice@example.test", "bob@example.test"], ascending["Resources"]!.AsArray().Take(2).Select(r => r!["userName"]!.GetValue<string>()));
        Assert.Equal(groups, Ids(ascending).Skip(2));
        var descending = await SearchAsync(scim, body =>
        {
            body["sortBy"] = "userName";
            body["sortOrder"] = "descending";
        });
        Assert.Equal(["User", "User"], Types(descending).Skip(2));
        Assert.Equal(["bob@example.test", "alice@example.test"], descending["Resources"]!.AsArray().Skip(2).Select(r => r!["userName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Sorted_index_paging_walks_the_merged_order()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        await PopulateAsync(scim);
        string[] merged = ["Admins", "Alice", "Blue team", "Bob"];
        for (var startIndex = 1; startIndex <= 4; startIndex++)
        {
            var page = await SearchAsync(scim, body =>
            {
                body["sortBy"] = "displayName";
                body["startIndex"] = startIndex;
                body["count"] = 2;
            });
            Assert.Equal(merged.Skip(startIndex - 1).Take(2), page["Resources"]!.AsArray().Select(r => r!["displayName"]!.GetValue<string>()));
            Assert.Equal(4, page["totalResults"]!.GetValue<int>());
            Assert.Equal(startIndex, page["startIndex"]!.GetValue<int>());
        }
        var filtered = await SearchAsync(scim, body =>
        {
            body["sortBy"] = "displayName";
            body["filter"] = "displayName sw \"B\"";
            body["attributes"] = new JsonArray("displayName");
        });
        Assert.Equal(["Blue team", "Bob"], filtered["Resources"]!.AsArray().Select(r => r!["displayName"]!.GetValue<string>()));
        Assert.Equal(["Group", "User"], Types(filtered));
        Assert.Null(filtered["Resources"]![0]!["members"]);
    }

    [Fact]
    public async Task Index_paging_runs_across_the_two_types()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var (users, groups) = await PopulateAsync(scim);
        var all = new List<string> { users[0], users[1], groups[0], groups[1] };
        for (var startIndex = 1; startIndex <= 5; startIndex++)
        {
            var page = await SearchAsync(scim, body =>
            {
                body["startIndex"] = startIndex;
                body["count"] = 2;
            });
            Assert.Equal(all.Skip(startIndex - 1).Take(2), Ids(page));
            Assert.Equal(4, page["totalResults"]!.GetValue<int>());
            Assert.Equal(startIndex, page["startIndex"]!.GetValue<int>());
        }
        var counted = await SearchAsync(scim, body => body["count"] = 0);
        Assert.Empty(Ids(counted));
        Assert.Equal(4, counted["totalResults"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Cursor_paging_visits_every_user_then_every_group_once(int count)
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var (users, groups) = await PopulateAsync(scim);
        var seen = new List<string>();
        string? cursor = "";
        var pages = 0;
        while (cursor is not null && pages++ < 10)
        {
            var current = cursor;
            var page = await SearchAsync(scim, body =>
            {
                body["cursor"] = current;
                body["count"] = count;
            });
            Assert.Null(page["totalResults"]);
            Assert.InRange(Ids(page).Count, 0, count);
            seen.AddRange(Ids(page));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        Assert.Equal([.. users, .. groups], seen);

        var invalid = await scim.PostAsync("/.search", Search(body => body["cursor"] = "garbage"));
        invalid.Expect(HttpStatusCode.BadRequest);
        Assert.Equal("invalidCursor", invalid.Body!["scimType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Root_search_is_post_only()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var get = (await scim.GetAsync("/.search")).Expect(HttpStatusCode.MethodNotAllowed);
        Assert.Equal("POST", string.Join(", ", get.Message.Content.Headers.Allow.Concat(get.Message.Headers.TryGetValues("Allow", out var values) ? values : [])));
        var wrongSchema = await scim.PostAsync("/.search", new JsonObject { ["schemas"] = new JsonArray("urn:nothing") });
        wrongSchema.Expect(HttpStatusCode.BadRequest);
    }
}
