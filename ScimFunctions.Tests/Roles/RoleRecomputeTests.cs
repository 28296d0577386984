using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using ScimFunctions.Roles;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Roles;

public sealed class RoleRecomputeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Roles_follow_id_and_name_mappings_and_the_default_applies_only_to_users_in_no_mapped_group()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("admin", "editor", "viewer");
        var users = await w.CreateUsersAsync(3);
        var engineering = await w.CreateGroupAsync("Engineering");
        var sales = await w.CreateGroupAsync("Sales");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, engineering, ["editor", "admin"], None);
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.DisplayName, "sales", ["viewer"], None); // matched case-insensitively
        await w.Roles.SetDefaultRoleAsync(w.Directory, "viewer", None);
        await w.Store.Memberships.ApplyAsync(w.Directory, engineering, MembershipChange.Add(users[0], users[1]));
        await w.Store.Memberships.ApplyAsync(w.Directory, sales, MembershipChange.Add(users[1]));

        var outcome = await w.Recomputer.RecomputeAsync(w.Directory, users, None);

        Assert.Equal(new RecomputeOutcome(3, 3), outcome);
        Assert.Equal(["admin", "editor"], await w.RolesOfAsync(users[0]));
        Assert.Equal(["admin", "editor", "viewer"], await w.RolesOfAsync(users[1]));
        Assert.Equal(["viewer"], await w.RolesOfAsync(users[2])); // in no mapped group: the default
        Assert.Empty(await w.OutboxAsync());
        var (editors, _) = await w.Roles.ListHoldersAsync(w.Directory, "editor", null, 10, None);
        Assert.Equal(users.Take(2).Order(StringComparer.Ordinal), editors);
    }

    [Fact]
    public async Task Deactivation_withdraws_every_role_and_reactivation_restores_them_through_the_outbox()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor");
        var users = await w.CreateUsersAsync(1);
        var group = await w.CreateGroupAsync("Editors");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["editor"], None);
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users[0]));
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        var before = await w.Roles.GetAssignmentAsync(w.Directory, users[0], None);

        // OneLogin sends string booleans; the storage write records the outbox row with the change.
        await w.Store.Users.UpdateAsync(w.Directory, users[0], doc => { doc["active"] = "false"; return doc; });
        Assert.Equal([PartitionLayout.Outbox(users[0])], await w.OutboxAsync());
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        var inactive = await w.Roles.GetAssignmentAsync(w.Directory, users[0], None);
        Assert.Empty(inactive!.Roles);
        Assert.Equal(before!.Version + 1, inactive.Version);
        Assert.Empty((await w.Roles.ListHoldersAsync(w.Directory, "editor", null, 10, None)).UserIds);

        await w.Store.Users.UpdateAsync(w.Directory, users[0], doc => { doc["active"] = true; return doc; });
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        Assert.Equal(["editor"], await w.RolesOfAsync(users[0]));

        // An update that leaves active alone records nothing for roles.
        await w.Store.Users.UpdateAsync(w.Directory, users[0], doc => { doc["displayName"] = "Someone"; return doc; });
        Assert.Empty(await w.OutboxAsync());
    }

    [Fact]
    public async Task A_deleted_user_loses_its_assignment_and_holder_rows()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor");
        var users = await w.CreateUsersAsync(2);
        var group = await w.CreateGroupAsync("Editors");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["editor"], None);
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);

        await w.Store.Users.DeleteAsync(w.Directory, users[0]);
        await w.Recomputer.RecomputeAsync(w.Directory, [users[0]], None);

        Assert.Null(await w.Roles.GetAssignmentAsync(w.Directory, users[0], None));
        Assert.Equal([users[1]], (await w.Roles.ListHoldersAsync(w.Directory, "editor", null, 10, None)).UserIds);
        Assert.Empty(await w.OutboxAsync());
    }

    [Fact]
    public async Task Recompute_costs_four_reads_and_one_transaction_per_user_and_a_repeat_writes_nothing()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor", "viewer");
        var users = await w.CreateUsersAsync(10);
        var group = await w.CreateGroupAsync("Editors");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["editor"], None);
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.DisplayName, "Not pushed yet", ["viewer"], None);
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));
        w.Fixture.Counter.Reset();

        await w.Recomputer.RecomputeAsync(w.Directory, users, None);

        // Per user: outbox, assignment, Active, memberOf = 4 reads, and 1 transaction.
        // Per message: 1 configuration range read + 1 index read per name mapping.
        Assert.Equal(4 * users.Count + 1 + 1, w.Fixture.Counter.Reads);
        Assert.Equal(users.Count, w.Fixture.Counter.Transactions);
        Assert.Equal(0, w.Fixture.Counter.OtherWrites);
        var versions = new List<long>();
        foreach (var user in users) versions.Add((await w.Roles.GetAssignmentAsync(w.Directory, user, None))!.Version);

        // A duplicate (or late) message: same reads, no write, nothing changes.
        w.Fixture.Counter.Reset();
        var repeat = await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        Assert.Equal(0, repeat.Changed);
        Assert.Equal(0, w.Fixture.Counter.Transactions);
        Assert.Equal(4 * users.Count + 2, w.Fixture.Counter.Reads);
        for (var i = 0; i < users.Count; i++) Assert.Equal(versions[i], (await w.Roles.GetAssignmentAsync(w.Directory, users[i], None))!.Version);
    }

    [Fact]
    public async Task Roles_that_are_not_defined_are_never_assigned_and_unknown_roles_in_a_mapping_are_refused()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor");
        var group = await w.CreateGroupAsync("Editors");
        var refused = await Assert.ThrowsAsync<RoleConfigurationException>(() =>
            w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["editor", "ghost"], None));
        Assert.Equal((400, "invalidValue"), (refused.Status, refused.ScimType));
        Assert.Empty((await w.Roles.ReadConfigurationAsync(w.Directory, None)).Mappings);
        Assert.Empty(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutboxPrefix));

        var notAGroup = await Assert.ThrowsAsync<RoleConfigurationException>(() =>
            w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, PartitionLayout.NewId(), ["editor"], None));
        Assert.Equal(400, notAGroup.Status);
    }

    [Fact]
    public async Task A_role_still_mapped_cannot_be_deleted_and_deleting_an_unused_role_recomputes_its_holders()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor", "old");
        var users = await w.CreateUsersAsync(2);
        var group = await w.CreateGroupAsync("Editors");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["editor", "old"], None);
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);

        var inUse = await Assert.ThrowsAsync<RoleConfigurationException>(() => w.Roles.DeleteRoleAsync(w.Directory, "old", None));
        Assert.Equal(409, inUse.Status);
        Assert.True((await w.Roles.ReadConfigurationAsync(w.Directory, None)).Roles.ContainsKey("old"));

        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["editor"], None);
        Assert.True(await w.Roles.DeleteRoleAsync(w.Directory, "old", None));
        Assert.True(await w.Fixture.RowExistsAsync(PartitionLayout.RoleOutbox("old")));
        await w.Sweeper.SweepDirectoryAsync(w.Directory, TimeSpan.Zero, None);
        await w.DrainAsync();

        foreach (var user in users) Assert.Equal(["editor"], await w.RolesOfAsync(user));
        Assert.Empty((await w.Roles.ListHoldersAsync(w.Directory, "old", null, 10, None)).UserIds);
        Assert.False(await w.Fixture.RowExistsAsync(PartitionLayout.RoleOutbox("old")));
        Assert.Empty(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutboxPrefix));
    }

    [Fact]
    public async Task A_group_rename_onto_a_mapped_name_gives_its_members_the_roles_through_the_group_fan_out()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("sales");
        var users = await w.CreateUsersAsync(3);
        var group = await w.CreateGroupAsync("Temp");
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.DisplayName, "Sales Team", ["sales"], None);
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        foreach (var user in users) Assert.Empty(await w.RolesOfAsync(user));

        await w.Store.Groups.ReplaceAsync(w.Directory, group, new JsonObject { ["displayName"] = "Sales Team" });
        await w.Sweeper.SweepDirectoryAsync(w.Directory, TimeSpan.Zero, None); // the group outbox row the rename wrote
        await w.DrainAsync();

        foreach (var user in users) Assert.Equal(["sales"], await w.RolesOfAsync(user));
        Assert.Empty(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutboxPrefix));
    }

    [Fact]
    public async Task A_group_delete_withdraws_its_roles_when_the_outbox_is_signalled()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor");
        var users = await w.CreateUsersAsync(40);
        var group = await w.CreateGroupAsync("Editors");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["editor"], None);
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);

        await w.Store.Groups.DeleteAsync(w.Directory, group);
        await new QueueRoleRecomputeSignal(w.Queue).SignalOutboxAsync(w.Directory, None);
        await w.DrainAsync();

        foreach (var user in users) Assert.Empty(await w.RolesOfAsync(user));
        Assert.Empty(await w.OutboxAsync());
    }

    [Fact]
    public async Task A_user_created_after_the_default_role_fan_out_gets_the_default_role_from_its_own_outbox_row()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("member");
        await w.Roles.SetDefaultRoleAsync(w.Directory, "member", None);
        await new QueueRoleRecomputeSignal(w.Queue).SignalDirectoryAsync(w.Directory, None);
        await w.DrainAsync();
        Assert.False(await w.Fixture.RowExistsAsync(PartitionLayout.DirectoryOutbox));

        var users = await w.CreateUsersAsync(2, "late");

        // The create recorded the recompute itself: the user is pending, and even with its prompt lost the sweep finds it.
        Assert.Equal(users.Select(PartitionLayout.Outbox).Order(StringComparer.Ordinal), await w.OutboxAsync());
        Assert.True((await w.Roles.ReadUserRolesAsync(w.Directory, users[0], None)).Pending);
        await w.Sweeper.SweepDirectoryAsync(w.Directory, TimeSpan.Zero, None);
        await w.DrainAsync();
        foreach (var user in users) Assert.Equal(["member"], await w.RolesOfAsync(user));
        Assert.Equal(users.Order(StringComparer.Ordinal), (await w.Roles.ListHoldersAsync(w.Directory, "member", null, 10, None)).UserIds);
        Assert.False((await w.Roles.ReadUserRolesAsync(w.Directory, users[0], None)).Pending);
        Assert.Empty(await w.OutboxAsync());
    }

    [Fact]
    public async Task A_recompute_committing_while_a_users_roles_are_read_shows_as_pending_never_as_settled_without_its_roles()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("member");
        await w.Roles.SetDefaultRoleAsync(w.Directory, "member", None);
        await new QueueRoleRecomputeSignal(w.Queue).SignalDirectoryAsync(w.Directory, None);
        await w.DrainAsync();
        var user = (await w.CreateUsersAsync(1, "racing"))[0]; // pending on its own outbox row, as after a create
        var held = new HeldAnswerPolicy();
        var options = new TableClientOptions();
        options.AddPolicy(held, HttpPipelinePosition.PerRetry);
        var reader = new RoleStore(new ScimDataTable(new TableServiceClient(TestStorage.ConnectionString, options), new ScimStorageOptions { TableName = StoreFixture.TableName }), w.Time);
        var assignmentKey = $"'{PartitionLayout.Assignment(user)}'";
        held.HoldNextRead(message => Uri.UnescapeDataString(message.Request.Uri.ToString()).Contains(assignmentKey, StringComparison.Ordinal));

        // The recompute commits (assignment written, outbox row deleted) while the read of the assignment is in flight.
        var read = reader.ReadUserRolesAsync(w.Directory, user, None);
        await held.Answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await w.Recomputer.RecomputeAsync(w.Directory, [user], None);
        held.Release.SetResult();
        var (assignment, pending) = await read;

        Assert.True(pending || assignment?.Roles.SequenceEqual(["member"]) == true,
            $"Answered settled with roles [{string.Join(", ", assignment?.Roles ?? [])}] while the recompute granting the default role committed.");
        var settled = await reader.ReadUserRolesAsync(w.Directory, user, None);
        Assert.False(settled.Pending);
        Assert.Equal(["member"], settled.Assignment!.Roles);
    }

    [Fact]
    public async Task A_default_role_change_fans_out_over_every_user_in_pages()
    {
        var w = await RoleWorld.CreateAsync(o => o.FanOutPageSize = 30);
        await w.DefineRolesAsync("member");
        var users = await w.CreateUsersAsync(70);

        await w.Roles.SetDefaultRoleAsync(w.Directory, "member", None);
        await new QueueRoleRecomputeSignal(w.Queue).SignalDirectoryAsync(w.Directory, None);
        var handled = await w.DrainAsync();

        foreach (var user in users) Assert.Equal(["member"], await w.RolesOfAsync(user));
        // 3 pages (30 + 30 + 10 users), each sent as one user message: 1 + 2 continuations + 3 = 6 messages.
        Assert.Equal(6, handled);
        Assert.False(await w.Fixture.RowExistsAsync(PartitionLayout.DirectoryOutbox));
    }
}
