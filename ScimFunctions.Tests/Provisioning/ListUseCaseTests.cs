using System.Text.Json.Nodes;
using ScimFunctions.Provisioning;
using ScimFunctions.Scim;
using ScimFunctions.Storage;
using static ScimFunctions.Tests.Provisioning.ProvisioningFixture;

namespace ScimFunctions.Tests.Provisioning;

public sealed class ListUseCaseTests
{
    private static List<string> UserNames(JsonObject response) =>
        response["Resources"]!.AsArray().Select(r => r!["userName"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task User_name_equality_is_at_most_two_reads_and_matches_case_insensitively()
    {
        var f = await ProvisioningFixture.CreateAsync();
        await f.NewUsersAsync("n", 5);
        f.Counter.Reset();
        var found = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Filter = "userName eq \"N0003\"", StartIndex = 1, Count = 100, Selection = Excluding("groups") }, default);
        Assert.InRange(f.Counter.Total, 1, 2);
        Assert.Equal(1, found["totalResults"]!.GetValue<int>());
        Assert.Equal(["n0003"], UserNames(found));
        var lookupReads = f.Counter.Total;

        f.Counter.Reset();
        var withGroups = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Filter = "userName eq \"N0003\"" }, default);
        Assert.Equal(lookupReads + 1, f.Counter.Total); // the match's memberOf range read
        Assert.Null(withGroups["Resources"]![0]!["groups"]); // in no group: no groups attribute, as a read shows it

        f.Counter.Reset();
        var missing = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Filter = "userName eq \"nobody-" + Guid.NewGuid() + "\"" }, default);
        Assert.Equal(0, missing["totalResults"]!.GetValue<int>());
        Assert.Empty(missing["Resources"]!.AsArray());
        Assert.Equal(1, f.Counter.Total);
    }

    [Fact]
    public async Task Count_zero_gives_only_the_total_and_index_paging_walks_every_user_once()
    {
        var f = await ProvisioningFixture.CreateAsync();
        await f.NewUsersAsync("p", 7);
        var total = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Count = 0 }, default);
        Assert.Equal(7, total["totalResults"]!.GetValue<int>());
        Assert.Empty(total["Resources"]!.AsArray());
        Assert.Equal(0, total["itemsPerPage"]!.GetValue<int>());

        var seen = new List<string>();
        for (var start = 1; start <= 7; start += 3)
        {
            var page = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { StartIndex = start, Count = 3 }, default);
            Assert.Equal(start, page["startIndex"]!.GetValue<int>());
            seen.AddRange(UserNames(page));
        }
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"p{i:D4}").Order(), seen.Order());
    }

    [Fact]
    public async Task Cursor_paging_follows_next_cursor_to_the_end()
    {
        var f = await ProvisioningFixture.CreateAsync();
        await f.NewUsersAsync("c", 5);
        var seen = new List<string>();
        string? cursor = "";
        var pages = 0;
        while (cursor is not null)
        {
            var page = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Cursor = cursor, Count = 2 }, default);
            seen.AddRange(UserNames(page));
            cursor = page["nextCursor"]?.GetValue<string>();
            Assert.Null(page["startIndex"]);
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Distinct().Count());

        var bad = await Assert.ThrowsAsync<InvalidCursorException>(() =>
            f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Cursor = "not-a-cursor" }, default));
        Assert.Equal((400, "invalidCursor"), (bad.Status, bad.ScimType));
        var both = await Assert.ThrowsAsync<ScimException>(() =>
            f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Cursor = "", StartIndex = 1 }, default));
        Assert.Equal(400, both.Status);
    }

    [Fact]
    public async Task Filters_scan_and_evaluate_sort_orders_and_projection_applies()
    {
        var f = await ProvisioningFixture.CreateAsync();
        foreach (var (name, title) in new[] { ("amy", "b"), ("ben", "c"), ("cat", "a") })
        {
            var body = UserBody(name);
            body["title"] = title;
            await f.CreateUser.ExecuteAsync(f.Scope, body, AttributeSelection.All, default);
        }
        var byEmail = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User,
            new ListRequest { Filter = "emails[type eq \"work\"].value eq \"ben@example.test\"" }, default);
        Assert.Equal(["ben"], UserNames(byEmail));

        var sorted = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User,
            new ListRequest { SortBy = "title", SortOrder = "descending", Selection = Only("userName") }, default);
        Assert.Equal(["ben", "amy", "cat"], UserNames(sorted));
        Assert.Null(sorted["Resources"]![0]!["emails"]);
        Assert.NotNull(sorted["Resources"]![0]!["id"]);

        var andFilter = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User,
            new ListRequest { Filter = "userName eq \"amy\" and title eq \"z\"" }, default);
        Assert.Equal(0, andFilter["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_filters_and_filters_on_the_membership_attribute_are_400_invalidFilter()
    {
        var f = await ProvisioningFixture.CreateAsync();
        foreach (var (type, filter) in new[] { (ScimResourceType.User, "userName eq"), (ScimResourceType.User, "groups.value eq \"x\""), (ScimResourceType.Group, "members[value eq \"x\"]") })
        {
            var failure = await Assert.ThrowsAsync<ScimException>(() => f.List.ExecuteAsync(f.Scope, type, new ListRequest { Filter = filter }, default));
            Assert.Equal((400, "invalidFilter"), (failure.Status, failure.ScimType));
        }
    }

    [Fact]
    public async Task A_count_above_the_maximum_is_lowered_to_it()
    {
        var f = await ProvisioningFixture.CreateAsync();
        await f.NewUsersAsync("x", 3);
        var page = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Count = 100_000 }, default);
        Assert.Equal(3, page["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(3, page["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Users_groups_are_listed_unless_unselected_in_one_range_read_for_an_unfiltered_page()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("g", 6);
        var first = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("First", users[0], users[2], users[5]), AttributeSelection.All, default);
        var second = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Second", users[2]), AttributeSelection.All, default);
        var expected = new Dictionary<string, string[]>
        {
            [users[0]] = [first.Id], [users[2]] = [first.Id, second.Id], [users[5]] = [first.Id],
        };
        string[] GroupsOf(JsonNode user) =>
            user["groups"]?.AsArray().Select(g => g!["value"]!.GetValue<string>()).Order().ToArray() ?? [];

        await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest(), default); // positions cached
        f.Counter.Reset();
        var excluded = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Selection = Excluding("groups") }, default);
        var excludedReads = f.Counter.Reads;
        Assert.All(excluded["Resources"]!.AsArray(), u => Assert.Null(u!["groups"]));

        f.Counter.Reset();
        var listed = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest(), default);
        Assert.Equal(excludedReads + 1, f.Counter.Reads); // one range over the page's memberOf rows, not one per user
        Assert.Equal(6, listed["itemsPerPage"]!.GetValue<int>());
        foreach (var user in listed["Resources"]!.AsArray())
        {
            Assert.Equal(expected.GetValueOrDefault(user!["id"]!.GetValue<string>(), []).Order(), GroupsOf(user));
        }

        f.Counter.Reset();
        await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Selection = Only("userName") }, default);
        Assert.Equal(excludedReads, f.Counter.Reads);

        // A filtered page has gaps, so each match's groups are read on their own: one read per user on the page.
        f.Counter.Reset();
        var filtered = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Filter = "userName sw \"g\"", Selection = Excluding("groups") }, default);
        var scanReads = f.Counter.Reads;
        f.Counter.Reset();
        filtered = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Filter = "userName sw \"g\"" }, default);
        Assert.Equal(scanReads + 6, f.Counter.Reads);
        foreach (var user in filtered["Resources"]!.AsArray())
        {
            Assert.Equal(expected.GetValueOrDefault(user!["id"]!.GetValue<string>(), []).Order(), GroupsOf(user));
        }
    }

    [Fact]
    public async Task Groups_members_are_listed_unless_excluded_and_excluded_members_are_not_read()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var user = await f.NewUserAsync("w");
        await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Listed", user), AttributeSelection.All, default);
        var plain = await f.List.ExecuteAsync(f.Scope, ScimResourceType.Group, new ListRequest(), default);
        Assert.Equal(user, plain["Resources"]![0]!["members"]![0]!["value"]!.GetValue<string>());
        f.Counter.Reset();
        var excluded = await f.List.ExecuteAsync(f.Scope, ScimResourceType.Group, new ListRequest { Selection = Excluding("members") }, default);
        Assert.Null(excluded["Resources"]![0]!["members"]);
        Assert.Equal("Listed", excluded["Resources"]![0]!["displayName"]!.GetValue<string>());
        var excludedReads = f.Counter.Reads;
        f.Counter.Reset();
        await f.List.ExecuteAsync(f.Scope, ScimResourceType.Group, new ListRequest(), default);
        Assert.Equal(excludedReads + 1, f.Counter.Reads); // the member range read is the only difference
        var asked = await f.List.ExecuteAsync(f.Scope, ScimResourceType.Group, new ListRequest { Selection = Only("displayName", "members") }, default);
        Assert.Equal(user, asked["Resources"]![0]!["members"]![0]!["value"]!.GetValue<string>());
    }
}
