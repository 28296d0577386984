using ScimFunctions.Scim.Patch;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Roles;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Roles;

namespace ScimFunctions.Tests.ChangeFeed;

public sealed class ChangeFeedTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static ChangeFeedReader Feed(RoleWorld w, TimeSpan settleWindow, TimeSpan? retention = null) =>
        new(new ChangeLogStore(w.Data), new ChangeFeedOptions { SettleWindow = settleWindow, Retention = retention ?? new ChangeFeedOptions().Retention }, w.Time);

    [Fact]
    public async Task Users_groups_memberships_and_assignments_appear_in_commit_order_and_a_cursor_resumes_after_the_last_seen()
    {
        var w = await RoleWorld.CreateAsync();
        var feed = Feed(w, TimeSpan.Zero);
        await w.DefineRolesAsync("editor");
        var start = (await feed.ReadAsync(w.Directory, ChangeFeedReader.Now, 10, None)).Cursor;
        var users = await w.CreateUsersAsync(1);
        var group = await w.CreateGroupAsync("Editors");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["editor"], None);
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users[0]));
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        await w.Store.Users.UpdateAsync(w.Directory, users[0], doc => { doc["active"] = false; return doc; });
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        await w.Store.Groups.DeleteAsync(w.Directory, group);

        var page1 = await feed.ReadAsync(w.Directory, start, 3, None);
        Assert.True(page1.More);
        var page2 = await feed.ReadAsync(w.Directory, page1.Cursor, 100, None);
        Assert.False(page2.More);
        var all = page1.Changes.Concat(page2.Changes).Select(c => (c.Kind, c.Operation, c.Id)).ToList();
        Assert.Equal(
        [
            ("User", "created", users[0]),
            ("Group", "created", group),
            ("Membership", "updated", group),
            ("Roles", "updated", users[0]),
            ("User", "updated", users[0]),
            ("Roles", "updated", users[0]),
            ("Group", "deleted", group),
        ], all);
        Assert.Equal([users[0]], page1.Changes[2].AddedUserIds);

        var caughtUp = await feed.ReadAsync(w.Directory, page2.Cursor, 100, None);
        Assert.Empty(caughtUp.Changes);
    }

    [Fact]
    public async Task A_membership_change_of_70_users_logs_one_row_per_transaction_naming_exactly_the_users_it_wrote()
    {
        var w = await RoleWorld.CreateAsync();
        var feed = Feed(w, TimeSpan.Zero);
        var users = await w.CreateUsersAsync(70);
        var group = await w.CreateGroupAsync("Big");
        var cursor = (await feed.ReadAsync(w.Directory, ChangeFeedReader.Now, 10, None)).Cursor;

        var result = await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));

        var entries = (await feed.ReadAsync(w.Directory, cursor, 100, None)).Changes;
        Assert.Equal(result.Transactions, entries.Count);
        Assert.Equal(3, entries.Count); // ⌈70/24⌉
        Assert.All(entries, e => Assert.InRange(e.AddedUserIds!.Count, 1, MembershipStore.MembersPerTransaction));
        Assert.Equal(users.Order(StringComparer.Ordinal), entries.SelectMany(e => e.AddedUserIds!).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal((ChangeLog.MembershipKind, group), (e.Kind, e.Id)));
    }

    [Fact]
    public async Task Reading_after_a_cursor_costs_one_read_however_large_the_directory_is()
    {
        var w = await RoleWorld.CreateAsync();
        var feed = Feed(w, TimeSpan.Zero);
        await w.CreateUsersAsync(300);
        var cursor = (await feed.ReadAsync(w.Directory, ChangeFeedReader.Now, 10, None)).Cursor;
        var later = await w.CreateUsersAsync(3, "later");
        w.Fixture.Counter.Reset();

        var page = await feed.ReadAsync(w.Directory, cursor, 100, None);

        Assert.Equal(later.Order(StringComparer.Ordinal), page.Changes.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(1, w.Fixture.Counter.Reads);
    }

    [Fact]
    public async Task Changes_younger_than_the_settle_window_are_held_back_and_the_cursor_does_not_pass_them()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var w = await RoleWorld.CreateAsync(time: time);
        var feed = Feed(w, TimeSpan.FromMinutes(5));
        await w.CreateUsersAsync(2);

        var page = await feed.ReadAsync(w.Directory, null, 100, None);
        Assert.Empty(page.Changes);
        time.Advance(TimeSpan.FromMinutes(4));
        var stillSettling = await feed.ReadAsync(w.Directory, page.Cursor, 100, None);
        Assert.Empty(stillSettling.Changes);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, (await feed.ReadAsync(w.Directory, stillSettling.Cursor, 100, None)).Changes.Count);
    }

    [Fact]
    public async Task A_cursor_is_bound_to_its_directory_and_to_the_change_feed()
    {
        var w = await RoleWorld.CreateAsync();
        var feed = Feed(w, TimeSpan.Zero);
        await w.CreateUsersAsync(1);
        var cursor = (await feed.ReadAsync(w.Directory, null, 100, None)).Cursor;

        await Assert.ThrowsAsync<InvalidCursorException>(() => feed.ReadAsync("someOtherDirectory", cursor, 100, None));
        await Assert.ThrowsAsync<InvalidCursorException>(() => feed.ReadAsync(w.Directory, cursor[..^2] + "AA", 100, None));
        await Assert.ThrowsAsync<InvalidCursorException>(() => feed.ReadAsync(w.Directory, "%%%", 100, None));
        await Assert.ThrowsAsync<InvalidCursorException>(() => feed.ReadAsync(w.Directory, ListCursor.Encode(w.Directory, ResourceKind.User, PartitionLayout.NewId()), 100, None));
        await Assert.ThrowsAsync<InvalidCursorException>(() => feed.ReadAsync(w.Directory, RoleHolderCursor.Encode(w.Directory, PartitionLayout.NewId()), 100, None));
    }

    [Fact]
    public async Task A_failed_write_leaves_no_change_row_and_rows_past_the_retention_are_pruned_and_their_cursors_refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var w = await RoleWorld.CreateAsync(time: time);
        var retention = TimeSpan.FromDays(7);
        var feed = Feed(w, TimeSpan.Zero, retention);
        var pruner = new ChangeLogPruner(new ChangeLogStore(w.Data), w.Directories, new ChangeFeedOptions { Retention = retention }, time, NullLogger<ChangeLogPruner>.Instance);
        var start = (await feed.ReadAsync(w.Directory, ChangeFeedReader.Now, 10, None)).Cursor;
        var users = await w.CreateUsersAsync(1);
        await Assert.ThrowsAsync<UniquenessConflictException>(() =>
            w.Store.Users.CreateAsync(w.Directory, new JsonObject { ["userName"] = "USER0@example.com" }));
        Assert.Single(await w.Fixture.RowKeysAsync(PartitionLayout.ChangePrefix));

        Assert.Equal(0, await pruner.PruneDirectoryAsync(w.Directory, None)); // within the retention
        time.Advance(retention - TimeSpan.FromMinutes(1));
        Assert.Single((await feed.ReadAsync(w.Directory, start, 100, None)).Changes);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await pruner.PruneDirectoryAsync(w.Directory, None));
        Assert.Empty(await w.Fixture.RowKeysAsync(PartitionLayout.ChangePrefix));
        Assert.NotNull(await w.Store.Users.GetAsync(w.Directory, users[0]));
        await Assert.ThrowsAsync<InvalidCursorException>(() => feed.ReadAsync(w.Directory, start, 100, None));
    }
}
