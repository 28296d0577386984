using Microsoft.Extensions.Time.Testing;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Storage;

public sealed class ResourceListerTests
{
    private static async Task<List<StoredResource>> CreateUsersAsync(StoreFixture f, int count)
    {
        var created = new StoredResource[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            created[i] = await f.Store.Users.CreateAsync(f.Directory, new JsonObject
            {
                ["userName"] = $"user{i:D2}",
                ["externalId"] = $"ext{i % 5}",
                ["active"] = i % 3 != 0,
            }));
        return [.. created.OrderBy(u => u.Id, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task StartIndex_paging_without_a_filter_scans_keys_once_then_reads_only_the_page()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 25);
        f.Counter.Reset();

        var page = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { StartIndex = 11, Count = 5 });

        Assert.Equal(25, page.TotalResults);
        Assert.Equal(users.Skip(10).Take(5).Select(u => u.Id), page.Resources.Select(r => r.Id));
        Assert.Equal(2, f.Counter.Reads); // one key-only scan for the positions, one range read of the page
        Assert.Null(page.NextCursor);

        f.Counter.Reset();
        var next = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { StartIndex = 16, Count = 5 });
        Assert.Equal(users.Skip(15).Take(5).Select(u => u.Id), next.Resources.Select(r => r.Id));
        Assert.Equal(1, f.Counter.Reads); // positions held: the page only

        var countOnly = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Count = 0 });
        Assert.Equal(25, countOnly.TotalResults);
        Assert.Empty(countOnly.Resources);
        var beyond = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { StartIndex = 26, Count = 5 });
        Assert.Equal(25, beyond.TotalResults);
        Assert.Empty(beyond.Resources);
    }

    [Fact]
    public async Task StartIndex_pages_at_any_depth_start_from_the_landmark_before_them()
    {
        var f = await StoreFixture.CreateAsync();
        var ids = (await CreateUsersAsync(f, 2 * ListPositions.Stride + 30)).Select(u => u.Id).ToList();
        await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Count = 0 });

        foreach (var start in new[] { 1, 2, 99, 100, 101, 150, 200, 201, 229, 230, 231 })
        {
            f.Counter.Reset();
            var page = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { StartIndex = start, Count = 7 });
            Assert.Equal(ids.Count, page.TotalResults);
            Assert.Equal(ids.Skip(start - 1).Take(7), page.Resources.Select(r => r.Id));
            Assert.True(f.Counter.Reads <= 1, $"startIndex {start}: {f.Counter.Reads} reads");
        }
    }

    [Fact]
    public async Task Creates_and_deletes_on_this_instance_show_in_the_next_page_at_once()
    {
        var f = await StoreFixture.CreateAsync();
        await CreateUsersAsync(f, 5);
        Assert.Equal(5, (await f.Store.Users.ListAsync(f.Directory, new ResourceQuery())).TotalResults);

        var created = await f.Store.Users.CreateAsync(f.Directory, new JsonObject { ["userName"] = "late" });
        var afterCreate = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery());
        Assert.Equal(6, afterCreate.TotalResults);
        Assert.Contains(created.Id, afterCreate.Resources.Select(r => r.Id));

        await f.Store.Users.DeleteAsync(f.Directory, created.Id);
        var afterDelete = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery());
        Assert.Equal(5, afterDelete.TotalResults);
        Assert.DoesNotContain(created.Id, afterDelete.Resources.Select(r => r.Id));
    }

    [Fact]
    public async Task Another_instance_sees_new_resources_in_its_total_once_its_positions_expire()
    {
        var f = await StoreFixture.CreateAsync();
        await CreateUsersAsync(f, 3);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new ScimStorageOptions { TableName = StoreFixture.TableName, ListPositionsLifetime = TimeSpan.FromSeconds(30) };
        var otherInstance = new ScimStore(new ScimDataTable(new TableServiceClient(TestStorage.ConnectionString), options), options, time);
        Assert.Equal(3, (await otherInstance.Users.ListAsync(f.Directory, new ResourceQuery())).TotalResults);

        await f.Store.Users.CreateAsync(f.Directory, new JsonObject { ["userName"] = "elsewhere" });
        Assert.Equal(3, (await otherInstance.Users.ListAsync(f.Directory, new ResourceQuery())).TotalResults);

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(4, (await otherInstance.Users.ListAsync(f.Directory, new ResourceQuery())).TotalResults);
    }

    [Fact]
    public async Task A_predicate_is_evaluated_on_every_document_and_paged()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 25);
        static bool Inactive(JsonObject doc) => doc["active"]!.GetValue<bool>() == false;
        var expected = users.Where(u => Inactive(u.Document)).Select(u => u.Id).ToList();

        var page = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Predicate = Inactive, StartIndex = 2, Count = 3 });

        Assert.Equal(expected.Count, page.TotalResults);
        Assert.Equal(expected.Skip(1).Take(3), page.Resources.Select(r => r.Id));
    }

    [Fact]
    public async Task Indexed_equalities_are_point_reads()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 10);
        var target = users.Single(u => u.Document["userName"]!.GetValue<string>() == "user07");
        f.Counter.Reset();

        var byName = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Equalities = [new("userName", "USER07")] });

        Assert.Equal([target.Id], byName.Resources.Select(r => r.Id));
        Assert.Equal(1, byName.TotalResults);
        Assert.True(f.Counter.Total <= 2);

        var missing = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Equalities = [new("userName", "nobody")] });
        Assert.Equal(0, missing.TotalResults);

        var byId = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Equalities = [new("id", target.Id), new("userName", "user07")] });
        Assert.Equal([target.Id], byId.Resources.Select(r => r.Id));
        var contradictory = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Equalities = [new("id", target.Id), new("userName", "user01")] });
        Assert.Empty(contradictory.Resources);

        var byExternalId = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Equalities = [new("externalId", "ext2")] });
        Assert.Equal(2, byExternalId.TotalResults);
    }

    [Fact]
    public async Task A_user_displayName_equality_is_checked_by_scan()
    {
        var f = await StoreFixture.CreateAsync();
        await CreateUsersAsync(f, 4);
        var pat = await f.Store.Users.CreateAsync(f.Directory, new JsonObject { ["userName"] = "pat", ["displayName"] = "Pat Smith" });

        var found = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Equalities = [new("displayName", "pat smith")] });

        Assert.Equal([pat.Id], found.Resources.Select(r => r.Id));
        Assert.Equal(1, found.TotalResults);
    }

    [Fact]
    public async Task Cursor_paging_visits_everything_once_at_a_cost_that_does_not_grow_with_depth()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 25);
        var seen = new List<string>();
        var readsPerPage = new List<int>();
        string? cursor = "";
        while (cursor is not null)
        {
            f.Counter.Reset();
            var page = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Cursor = cursor, Count = 7 });
            readsPerPage.Add(f.Counter.Reads);
            Assert.Null(page.TotalResults);
            seen.AddRange(page.Resources.Select(r => r.Id));
            cursor = page.NextCursor;
        }

        Assert.Equal(users.Select(u => u.Id), seen);
        Assert.Equal(4, readsPerPage.Count); // 7 + 7 + 7 + 4: no empty trailing page
        Assert.All(readsPerPage, reads => Assert.Equal(1, reads));
    }

    [Fact]
    public async Task Cursor_paging_with_a_predicate_returns_only_matches()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 25);
        static bool Active(JsonObject doc) => doc["active"]!.GetValue<bool>();
        var seen = new List<string>();
        string? cursor = "";
        while (cursor is not null)
        {
            var page = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Cursor = cursor, Count = 4, Predicate = Active });
            Assert.True(page.Resources.Count <= 4);
            seen.AddRange(page.Resources.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        Assert.Equal(users.Where(u => Active(u.Document)).Select(u => u.Id), seen);
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("' or true or '")]
    public async Task Garbage_cursors_are_rejected(string cursor)
    {
        var f = await StoreFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<InvalidCursorException>(() => f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Cursor = cursor }));
        Assert.Equal((400, "invalidCursor"), (error.Status, error.ScimType));
    }

    [Fact]
    public async Task A_cursor_is_bound_to_its_directory_and_resource_type()
    {
        var f = await StoreFixture.CreateAsync();
        await CreateUsersAsync(f, 3);
        var page = await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Cursor = "", Count = 1 });
        var cursor = page.NextCursor!;

        await Assert.ThrowsAsync<InvalidCursorException>(() => f.Store.Users.ListAsync("another-directory", new ResourceQuery { Cursor = cursor }));
        await Assert.ThrowsAsync<InvalidCursorException>(() => f.Store.Groups.ListAsync(f.Directory, new ResourceQuery { Cursor = cursor }));
        var tampered = cursor[..^2] + (cursor[^2] == 'A' ? 'B' : 'A') + cursor[^1];
        await Assert.ThrowsAsync<InvalidCursorException>(() => f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Cursor = tampered }));
        Assert.Equal(2, (await f.Store.Users.ListAsync(f.Directory, new ResourceQuery { Cursor = cursor, Count = 5 })).Resources.Count);
    }

    [Fact]
    public async Task Users_and_groups_are_listed_separately()
    {
        var f = await StoreFixture.CreateAsync();
        await CreateUsersAsync(f, 3);
        await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Only group" });

        var groups = await f.Store.Groups.ListAsync(f.Directory, new ResourceQuery());
        Assert.Equal(1, groups.TotalResults);
        Assert.Equal("Only group", groups.Resources.Single().Document["displayName"]!.GetValue<string>());
        Assert.Equal(3, (await f.Store.Users.ListAsync(f.Directory, new ResourceQuery())).TotalResults);
    }
}
