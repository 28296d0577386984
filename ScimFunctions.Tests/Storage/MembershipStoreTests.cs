using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

public sealed class MembershipStoreTests
{
    private static JsonObject User(string userName, string? displayName = null)
    {
        var user = new JsonObject { ["userName"] = userName };
        if (displayName is not null) user["displayName"] = displayName;
        return user;
    }

    private static JsonObject Group(string displayName) => new() { ["displayName"] = displayName };

    private static async Task<List<string>> CreateUsersAsync(StoreFixture f, int count, string prefix = "user")
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            ids[i] = (await f.Store.Users.CreateAsync(f.Directory, User($"{prefix}{i}", $"Display {prefix}{i}"))).Id);
        return [.. ids];
    }

    /// <summary>Every membership is stored in both directions or not at all.</summary>
    private static async Task AssertBothDirectionsAsync(StoreFixture f)
    {
        var members = (await f.RowKeysAsync(PartitionLayout.MemberPrefix)).Select(k => k.Split('|')).Select(p => (group: p[1], user: p[2])).ToHashSet();
        var memberOf = (await f.RowKeysAsync(PartitionLayout.MemberOfPrefix)).Select(k => k.Split('|')).Select(p => (group: p[2], user: p[1])).ToHashSet();
        Assert.Equal(members.Order(), memberOf.Order());
    }

    private static async Task<HashSet<string>> MemberIdsAsync(StoreFixture f, string groupId)
    {
        var ids = new HashSet<string>();
        await foreach (var member in f.Store.Memberships.StreamMembersAsync(f.Directory, groupId)) ids.Add(member.Id);
        return ids;
    }

    [Fact]
    public void The_batch_plan_packs_24_members_per_transaction_after_the_group_merge_and_the_change_log_row()
    {
        Assert.Equal(24, MembershipStore.MembersPerTransaction);
        Assert.Equal(2, MembershipStore.HeaderOperations);
        Assert.Equal(98, MembershipStore.HeaderOperations + MembershipStore.MembersPerTransaction * MembershipStore.OperationsPerMember);
        Assert.True(MembershipStore.HeaderOperations + (MembershipStore.MembersPerTransaction + 1) * MembershipStore.OperationsPerMember > 100);
    }

    [Fact]
    public async Task A_member_deleted_between_validation_and_write_is_dropped_so_no_membership_names_a_missing_user()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 3);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Racing"));
        await f.DeleteRowsAsync(PartitionLayout.OutboxPrefix); // the creates' rows: only the membership change's count here
        f.Faults.Interleave = () => f.RawTable.DeleteEntityAsync(f.Partition, ResourceKind.User.DocumentKey(users[0]));

        var result = await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users));

        Assert.Equal(2, result.Added);
        Assert.Equal(users.Skip(1).ToHashSet(), await MemberIdsAsync(f, group.Id));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.GroupsOfUserPrefix(users[0])));
        Assert.False(await f.RowExistsAsync(PartitionLayout.Outbox(users[0])));
        await AssertBothDirectionsAsync(f);
    }

    [Fact]
    public void A_group_write_takes_at_most_8_operations_so_22_members_commit_with_it()
    {
        Assert.Equal(22, MembershipStore.MembersInReplace);
        Assert.True(MembershipStore.MaxReplaceOperations + 1 + MembershipStore.MembersInReplace * MembershipStore.OperationsPerMember <= 100);
        Assert.True(MembershipStore.MaxReplaceOperations + 1 + (MembershipStore.MembersInReplace + 1) * MembershipStore.OperationsPerMember > 100);
    }

    [Fact]
    public async Task A_replace_with_members_commits_document_and_members_in_one_transaction_and_drops_a_member_deleted_meanwhile()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 3);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Together"));
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add([users[0]]));
        var current = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        var plan = await f.Store.Memberships.PlanAsync(f.Directory, group.Id, MembershipChange.Add(users.Skip(1)) with { Removed = [users[0]] });
        f.Faults.Interleave = () => f.RawTable.DeleteEntityAsync(f.Partition, ResourceKind.User.DocumentKey(users[1]));

        f.Counter.Reset();
        var result = await f.Store.Memberships.ReplaceGroupAsync(f.Directory, current, Group("Together2"), plan);

        // The deleted user's unit failed the transaction, which was sent again without it: nothing else was written in between.
        Assert.Equal(3, f.Counter.Transactions); // the two attempts of the one transaction, then the display refresh
        Assert.Equal((1, 1, 1), (result.Added, result.Removed, result.Transactions));
        Assert.Equal([users[2]], await MemberIdsAsync(f, group.Id));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.GroupsOfUserPrefix(users[1])));
        await AssertBothDirectionsAsync(f);
        var stored = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        Assert.Equal("Together2", stored.Document["displayName"]!.GetValue<string>());
        Assert.Equal(stored.Version, result.Group!.Version);
        var memberOf = await f.RawTable.GetEntityAsync<TableEntity>(f.Partition, PartitionLayout.MemberOf(users[2], group.Id));
        Assert.Equal("Together2", memberOf.Value.GetString(ResourceEntityMapper.DisplayProperty));
    }

    [Fact]
    public async Task A_replace_with_more_members_than_one_transaction_holds_writes_the_document_then_the_members()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, MembershipStore.MembersInReplace + 1);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Large"));
        var current = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        var plan = await f.Store.Memberships.PlanAsync(f.Directory, group.Id, MembershipChange.Add(users));

        f.Counter.Reset();
        var result = await f.Store.Memberships.ReplaceGroupAsync(f.Directory, current, Group("Large2"), plan);

        Assert.Equal(users.Count, result.Added);
        Assert.Equal(users.ToHashSet(), await MemberIdsAsync(f, group.Id));
        Assert.Equal("Large2", (await f.Store.Groups.GetAsync(f.Directory, group.Id))!.Document["displayName"]!.GetValue<string>());
        Assert.True(f.Counter.Transactions >= 2); // the document's, then the members' (23 users fit one membership transaction)
        await AssertBothDirectionsAsync(f);
    }

    [Fact]
    public async Task Joining_or_leaving_a_group_moves_the_users_version_and_last_modified()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 1);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Versioned"));
        var before = (await f.Store.Users.GetAsync(f.Directory, users[0]))!;

        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users));
        var joined = (await f.Store.Users.GetAsync(f.Directory, users[0]))!;
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Remove(users));
        var left = (await f.Store.Users.GetAsync(f.Directory, users[0]))!;

        Assert.NotEqual(before.Version, joined.Version);
        Assert.NotEqual(joined.Version, left.Version);
        Assert.True(joined.LastModified > before.LastModified);
        Assert.Equal(before.Document["userName"]!.GetValue<string>(), left.Document["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Adding_members_again_changes_nothing_and_costs_one_failed_transaction_and_a_read_per_user()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 10);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Again"));
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users.Take(6)));
        await f.DeleteRowsAsync(PartitionLayout.OutboxPrefix);
        var before = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        var firstUser = (await f.Store.Users.GetAsync(f.Directory, users[0]))!;
        var changeRows = (await f.RowKeysAsync(PartitionLayout.ChangePrefix)).Count;

        // All six again: the first insert fails, the read finds all six present, nothing is written.
        f.Counter.Reset();
        var again = await f.Store.Memberships.CommitAsync(f.Directory, before, await f.Store.Memberships.PlanAsync(f.Directory, group.Id, MembershipChange.Add(users.Take(6))));
        Assert.Equal((0, 0, 1), (again.Added, again.Transactions, f.Counter.Transactions)); // the one that failed
        Assert.Equal(6 + 6, f.Counter.Reads); // the plan's user checks, then the member rows
        Assert.Empty(again.PendingUsers!);
        Assert.Equal(before.Version, (await f.Store.Groups.GetAsync(f.Directory, group.Id))!.Version);
        Assert.Equal(firstUser.Version, (await f.Store.Users.GetAsync(f.Directory, users[0]))!.Version);
        Assert.Equal(changeRows, (await f.RowKeysAsync(PartitionLayout.ChangePrefix)).Count);
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.OutboxPrefix));

        // Old and new together: only the new ones join, and the change row names only them.
        var mixed = await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users));
        Assert.Equal(4, mixed.Added);
        Assert.Equal(users.Skip(6).Order(), mixed.PendingUsers!.Order());
        Assert.Equal(users.Order(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).Order());
        Assert.Equal(users.Skip(6).Select(PartitionLayout.Outbox).Order(StringComparer.Ordinal), await f.RowKeysAsync(PartitionLayout.OutboxPrefix));
        Assert.Equal(changeRows + 1, (await f.RowKeysAsync(PartitionLayout.ChangePrefix)).Count);
    }

    [Fact]
    public async Task Adding_N_members_costs_ceil_N_over_24_transactions_and_writes_both_directions_with_outbox_rows()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 70);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Engineering"));
        await f.DeleteRowsAsync(PartitionLayout.OutboxPrefix); // the creates' rows: only the membership change's count here
        f.Counter.Reset();

        var result = await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users));

        // Budget: ⌈70/24⌉ = 3 write transactions and the removal of the change's record (it spans several);
        // reads: 1 group + 70 validation point reads.
        Assert.Equal(4, f.Counter.Transactions);
        Assert.Equal(3, result.Transactions);
        Assert.Equal(1 + 70, f.Counter.Reads);
        Assert.Equal(0, f.Counter.OtherWrites);
        Assert.Equal(70, result.Added);
        Assert.Equal(users.ToHashSet(), await MemberIdsAsync(f, group.Id));
        await AssertBothDirectionsAsync(f);
        Assert.Equal(users.Select(PartitionLayout.Outbox).Order(StringComparer.Ordinal), await f.RowKeysAsync(PartitionLayout.OutboxPrefix));

        var members = new List<MembershipReference>();
        await foreach (var member in f.Store.Memberships.StreamMembersAsync(f.Directory, group.Id)) members.Add(member);
        Assert.Equal(70, members.Count);
        Assert.All(members, m => Assert.StartsWith("Display user", m.Display));
        var groupsOfUser = await f.Store.Memberships.ListGroupsOfUserAsync(f.Directory, users[0]);
        Assert.Equal([new MembershipReference(group.Id, "Engineering")], groupsOfUser);

        var touched = await f.Store.Groups.GetAsync(f.Directory, group.Id);
        Assert.NotEqual(group.Version, touched!.Version);
    }

    [Fact]
    public async Task The_groups_of_a_span_of_users_come_in_one_range_read_in_user_then_group_order()
    {
        var f = await StoreFixture.CreateAsync();
        var users = (await CreateUsersAsync(f, 5)).Order(StringComparer.Ordinal).ToList();
        var sales = await f.Store.Groups.CreateAsync(f.Directory, Group("Sales"));
        var ops = await f.Store.Groups.CreateAsync(f.Directory, Group("Ops"));
        await f.Store.Memberships.ApplyAsync(f.Directory, sales.Id, MembershipChange.Add(users[0], users[2], users[4]));
        await f.Store.Memberships.ApplyAsync(f.Directory, ops.Id, MembershipChange.Add(users[1], users[2]));

        f.Counter.Reset();
        var rows = new List<UserGroupReference>();
        await foreach (var row in f.Store.Memberships.StreamGroupsOfUsersAsync(f.Directory, users[1], users[3])) rows.Add(row);

        Assert.Equal(1, f.Counter.Reads);
        var expected = new List<UserGroupReference>
        {
            new(users[1], new MembershipReference(ops.Id, "Ops")),
        };
        expected.AddRange(new[] { (sales.Id, "Sales"), (ops.Id, "Ops") }.OrderBy(g => g.Item1, StringComparer.Ordinal)
            .Select(g => new UserGroupReference(users[2], new MembershipReference(g.Item1, g.Item2))));
        Assert.Equal(expected, rows); // users[0] and users[4] are outside the span; users[3] is in no group
    }

    [Fact]
    public async Task Re_adding_and_removing_non_members_are_harmless()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 3);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Sales"));
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users[0], users[1]));

        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users[0]));
        var removal = await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Remove(users[2], users[1], PartitionLayout.NewId(), "not-an-id"));

        Assert.Equal(1, removal.Removed);
        Assert.Equal([users[0]], await MemberIdsAsync(f, group.Id));
        Assert.Empty(await f.Store.Memberships.ListGroupsOfUserAsync(f.Directory, users[1]));
        await AssertBothDirectionsAsync(f);
    }

    [Fact]
    public async Task Adding_an_id_that_is_not_a_user_of_this_directory_is_invalid_and_writes_nothing()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 40);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Support"));
        var strangerDirectory = ScimFunctions.Tests.TestSupport.TestStorage.NewDirectoryId();
        var stranger = (await f.Store.Users.CreateAsync(strangerDirectory, User("stranger"))).Id;
        var rowsBefore = await f.AllRowKeysAsync();

        var error = await Assert.ThrowsAsync<InvalidStoreValueException>(() => f.Store.Memberships.ApplyAsync(
            f.Directory, group.Id, MembershipChange.Add([.. users, stranger, "bogus"])));

        Assert.Equal((400, "invalidValue"), (error.Status, error.ScimType));
        Assert.Equal(new[] { stranger, "bogus" }.Order(), error.OffendingValues.Order());
        Assert.Equal(rowsBefore, await f.AllRowKeysAsync());
        Assert.Equal(group.Version, (await f.Store.Groups.GetAsync(f.Directory, group.Id))!.Version);
    }

    [Fact]
    public async Task Replace_all_writes_only_the_difference_and_remove_all_empties_the_group()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 6);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Ops"));
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users[0], users[1], users[2]));

        var replaced = await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.ReplaceWith(users[2], users[3], users[4]));

        Assert.Equal((2, 2), (replaced.Added, replaced.Removed));
        Assert.Equal(new[] { users[2], users[3], users[4] }.ToHashSet(), await MemberIdsAsync(f, group.Id));

        // Okta and Entra shapes in one PATCH: remove all, then add one; netted before writing.
        var netted = await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.ReplaceWith(users[5]));
        Assert.Equal([users[5]], await MemberIdsAsync(f, group.Id));
        Assert.Equal((1, 3), (netted.Added, netted.Removed));
        await AssertBothDirectionsAsync(f);
    }

    [Fact]
    public async Task Unknown_group_is_not_found()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 1);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Store.Memberships.ApplyAsync(f.Directory, PartitionLayout.NewId(), MembershipChange.Add(users)));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.MemberPrefix));
    }

    [Fact]
    public async Task Fifty_parallel_adds_of_distinct_users_to_one_group_all_land_in_both_directions()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 50);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Everyone"));
        await f.DeleteRowsAsync(PartitionLayout.OutboxPrefix); // the creates' rows: only the membership changes' count here

        await Task.WhenAll(users.Select(u => f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(u))));

        Assert.Equal(users.ToHashSet(), await MemberIdsAsync(f, group.Id));
        await AssertBothDirectionsAsync(f);
        Assert.Equal(50, (await f.RowKeysAsync(PartitionLayout.OutboxPrefix)).Count);
    }

    [Fact]
    public async Task Deleting_a_group_with_M_members_takes_O_M_over_100_transactions_and_leaves_no_rows()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 101);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Big"));
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users));
        await f.DeleteRowsAsync(PartitionLayout.OutboxPrefix); // so the rows counted below are the delete's
        f.Counter.Reset();

        await f.Store.Groups.DeleteAsync(f.Directory, group.Id);

        // 1 transaction removing document + index rows, ⌈101/25⌉ = 5 for the member pairs with outbox rows and
        // member merges; reads: the document, two key-only scans (the second confirms nothing is left); 1 delete of the marker.
        Assert.Equal(1 + 5, f.Counter.Transactions);
        Assert.Equal(3, f.Counter.Reads);
        Assert.Equal(1, f.Counter.OtherWrites);
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.MemberPrefix));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.MemberOfPrefix));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.GroupPrefix));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.GroupNamePrefix));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.DeletingPrefix));
        Assert.Equal(101, (await f.RowKeysAsync(PartitionLayout.OutboxPrefix)).Count);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users[0])));
    }

    [Fact]
    public async Task Deleting_a_group_moves_its_members_versions_and_clears_a_member_whose_document_vanished_meanwhile()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 3);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Leaving"));
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users));
        var before = (await f.Store.Users.GetAsync(f.Directory, users[1]))!;
        // A member's document disappears after the group's document is gone but before its memberships are:
        // the member's own delete is still cleaning up.
        f.Faults.Interleave = () => f.RawTable.DeleteEntityAsync(f.Partition, ResourceKind.User.DocumentKey(users[0]));

        await f.Store.Groups.DeleteAsync(f.Directory, group.Id);

        var after = (await f.Store.Users.GetAsync(f.Directory, users[1]))!;
        Assert.NotEqual(before.Version, after.Version);
        Assert.True(after.LastModified > before.LastModified);
        Assert.Null(await f.Store.Users.GetAsync(f.Directory, users[0]));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.MemberPrefix));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.MemberOfPrefix));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.DeletingPrefix));
    }

    [Fact]
    public async Task An_interrupted_group_delete_succeeds_never_leaves_half_a_membership_and_finishes_when_repeated()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 80);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Fragile"));
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users));
        var transactionsSoFar = f.Counter.Transactions;
        f.Faults.FailOn.Add(transactionsSoFar + 3); // the second member-removal transaction

        await f.Store.Groups.DeleteAsync(f.Directory, group.Id); // committed by its first transaction: the rest is left to finish

        Assert.Null(await f.Store.Groups.GetAsync(f.Directory, group.Id));
        Assert.Null(await f.Store.Groups.FindByUniqueNameAsync(f.Directory, "Fragile"));
        var left = (await f.RowKeysAsync(PartitionLayout.MemberPrefix)).Count;
        Assert.InRange(left, 1, 79);
        await AssertBothDirectionsAsync(f);
        Assert.Single(await f.RowKeysAsync(PartitionLayout.DeletingPrefix));

        await f.Store.Groups.DeleteAsync(f.Directory, group.Id);

        Assert.Empty(await f.RowKeysAsync(PartitionLayout.MemberPrefix));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.MemberOfPrefix));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.DeletingPrefix));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Store.Groups.DeleteAsync(f.Directory, group.Id));
    }

    [Fact]
    public async Task A_pending_delete_is_finished_by_the_sweep()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 2);
        var groupA = await f.Store.Groups.CreateAsync(f.Directory, Group("A"));
        var groupB = await f.Store.Groups.CreateAsync(f.Directory, Group("B"));
        await f.Store.Memberships.ApplyAsync(f.Directory, groupA.Id, MembershipChange.Add(users));
        await f.Store.Memberships.ApplyAsync(f.Directory, groupB.Id, MembershipChange.Add(users[0]));
        f.Faults.FailOn.Add(f.Counter.Transactions + 2); // the user's membership removal

        await f.Store.Users.DeleteAsync(f.Directory, users[0]); // committed by its first transaction: the rest is left to the sweep
        Assert.Equal(2, (await f.Store.Memberships.ListGroupsOfUserAsync(f.Directory, users[0])).Count);

        Assert.Equal(1, await f.Store.Users.ResumePendingDeletesAsync(f.Directory));

        Assert.Empty(await f.Store.Memberships.ListGroupsOfUserAsync(f.Directory, users[0]));
        Assert.Equal([users[1]], await MemberIdsAsync(f, groupA.Id));
        Assert.Empty(await MemberIdsAsync(f, groupB.Id));
        await AssertBothDirectionsAsync(f);
        Assert.Equal(0, await f.Store.Users.ResumePendingDeletesAsync(f.Directory));
    }

    [Fact]
    public async Task Deleting_a_user_removes_its_memberships_both_ways()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 2);
        var groups = new List<string>();
        for (var i = 0; i < 3; i++) groups.Add((await f.Store.Groups.CreateAsync(f.Directory, Group($"G{i}"))).Id);
        foreach (var g in groups) await f.Store.Memberships.ApplyAsync(f.Directory, g, MembershipChange.Add(users));

        await f.Store.Users.DeleteAsync(f.Directory, users[0]);

        foreach (var g in groups) Assert.Equal([users[1]], await MemberIdsAsync(f, g));
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.GroupsOfUserPrefix(users[0])));
        await AssertBothDirectionsAsync(f);
    }

    [Fact]
    public async Task Renames_refresh_the_display_on_membership_rows_and_a_group_rename_records_a_group_outbox()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 2);
        var group = await f.Store.Groups.CreateAsync(f.Directory, Group("Old name"));
        await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(users));

        await f.Store.Users.UpdateAsync(f.Directory, users[0], doc => { doc["displayName"] = "Renamed User"; return doc; });
        await f.Store.Groups.ReplaceAsync(f.Directory, group.Id, Group("New name"));

        var members = new Dictionary<string, string?>();
        await foreach (var m in f.Store.Memberships.StreamMembersAsync(f.Directory, group.Id)) members[m.Id] = m.Display;
        Assert.Equal("Renamed User", members[users[0]]);
        Assert.Equal("Display user1", members[users[1]]);
        foreach (var u in users) Assert.Equal("New name", (await f.Store.Memberships.ListGroupsOfUserAsync(f.Directory, u)).Single().Display);
        Assert.True(await f.RowExistsAsync(PartitionLayout.GroupOutbox(group.Id)));
        Assert.Null(await f.Store.Groups.FindByUniqueNameAsync(f.Directory, "old name"));
        Assert.Equal(group.Id, (await f.Store.Groups.FindByUniqueNameAsync(f.Directory, "NEW NAME"))!.Id);
    }

    [Fact]
    public async Task Group_displayName_is_unique_and_members_never_enter_the_document()
    {
        var f = await StoreFixture.CreateAsync();
        var input = Group("Admins");
        input["members"] = new JsonArray(new JsonObject { ["value"] = PartitionLayout.NewId() });
        var group = await f.Store.Groups.CreateAsync(f.Directory, input);

        Assert.Null((await f.Store.Groups.GetAsync(f.Directory, group.Id))!.Document["members"]);
        Assert.Equal("Group", group.Document["meta"]!["resourceType"]!.GetValue<string>());
        var clash = await Assert.ThrowsAsync<UniquenessConflictException>(() => f.Store.Groups.CreateAsync(f.Directory, Group("admins")));
        Assert.Equal("displayName", clash.Attribute);
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.MemberPrefix));
    }

    [Fact]
    public void Netting_follows_operation_order()
    {
        var builder = new MembershipChangeBuilder();
        builder.Add(new MemberRef("a"));
        builder.Add(new MemberRef("b"));
        builder.Remove("b");
        builder.Remove("c");
        builder.Add(new MemberRef("c"));
        var net = builder.Build()!;
        Assert.False(net.ReplaceAll);
        Assert.Equal(["a", "c"], net.AddedIds.Order());
        Assert.Equal(["b"], net.Removed.Order());

        var replacing = new MembershipChangeBuilder();
        replacing.Add(new MemberRef("x"));
        replacing.ReplaceWith([new MemberRef("a"), new MemberRef("b")]);
        replacing.Remove("a");
        replacing.Add(new MemberRef("d"));
        var replaced = replacing.Build()!;
        Assert.True(replaced.ReplaceAll);
        Assert.Equal(["b", "d"], replaced.AddedIds.Order());
        Assert.Empty(replaced.Removed);
    }
}
