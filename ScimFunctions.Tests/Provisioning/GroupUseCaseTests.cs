using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Provisioning;
using ScimFunctions.Scim;
using ScimFunctions.Storage;
using static ScimFunctions.Tests.Provisioning.ProvisioningFixture;

namespace ScimFunctions.Tests.Provisioning;

public sealed class GroupUseCaseTests
{
    private static JsonObject AddMembers(IEnumerable<string> ids) => Patch(new JsonObject
    {
        ["op"] = "add",
        ["path"] = "members",
        ["value"] = new JsonArray(ids.Select(id => (JsonNode?)new JsonObject { ["value"] = id }).ToArray()),
    });

    [Fact]
    public async Task Adding_n_members_costs_the_storage_batch_plan_plus_a_constant_and_signals_every_added_user()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("m", 70);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Big"), AttributeSelection.All, default);

        f.Counter.Reset();
        var patched = await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, AddMembers(users), null, AttributeSelection.All, returnBody: false, default);

        var plan = (70 + MembershipStore.MembersPerTransaction - 1) / MembershipStore.MembersPerTransaction; // ⌈N/24⌉
        Assert.Equal(plan + 1, f.Counter.Transactions); // and the removal of the record a change over several takes
        Assert.Empty(await f.Storage.RowKeysAsync(PartitionLayout.PendingChangePrefix));
        Assert.Equal(0, f.Counter.OtherWrites);
        // 1 group read and 70 user validations; the new version comes back with the member transactions.
        Assert.Equal(70 + 1, f.Counter.Reads);
        Assert.Equal(users.ToHashSet(), f.Signal.SignalledUsers(f.Scope.DirectoryId));
        Assert.Null(patched.Body); // 204: the member list is not read
        Assert.NotEqual(group.Version, patched.Version);
        // The version after the last of the three member transactions, as a fresh read sees it.
        Assert.Equal((await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default)).Version, patched.Version);
        Assert.Equal(70, (await f.Storage.RowKeysAsync(PartitionLayout.MembersOfGroupPrefix(group.Id))).Count);
    }

    [Fact]
    public async Task A_member_change_never_reads_the_member_list_so_its_cost_does_not_grow_with_the_group()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("g", 120);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Grown"), AttributeSelection.All, default);
        var small = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Small"), AttributeSelection.All, default);
        await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, AddMembers(users.Skip(1)), null, AttributeSelection.All, false, default);

        f.Counter.Reset();
        await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, AddMembers([users[0]]), null, AttributeSelection.All, false, default);
        var large = (f.Counter.Reads, f.Counter.Transactions);
        f.Counter.Reset();
        await f.PatchGroup.ExecuteAsync(f.Scope, small.Id, AddMembers([users[0]]), null, AttributeSelection.All, false, default);
        Assert.Equal(large, (f.Counter.Reads, f.Counter.Transactions));
    }

    [Fact]
    public async Task Adding_an_id_that_is_not_a_user_of_this_directory_is_400_and_changes_nothing()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var member = await f.NewUserAsync("kept");
        var stranger = (await f.CreateUser.ExecuteAsync(f.OtherDirectory(), UserBody("stranger"), AttributeSelection.All, default)).Id;
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Guarded", member), AttributeSelection.All, default);

        var failure = await Assert.ThrowsAsync<InvalidStoreValueException>(() => f.PatchGroup.ExecuteAsync(f.Scope, group.Id,
            Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "Renamed" },
                  new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = stranger }) }),
            null, AttributeSelection.All, true, default));
        Assert.Equal((400, "invalidValue"), (failure.Status, failure.ScimType));

        var after = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal(group.Version, after.Version);
        Assert.Equal("Guarded", after.Body!["displayName"]!.GetValue<string>());
        Assert.Equal([member], after.Body["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Creating_a_group_with_a_bad_member_stores_no_group()
    {
        var f = await ProvisioningFixture.CreateAsync();
        await Assert.ThrowsAsync<InvalidStoreValueException>(() =>
            f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Phantom", Guid.NewGuid().ToString("N")), AttributeSelection.All, default));
        var listed = await f.List.ExecuteAsync(f.Scope, ScimResourceType.Group, new ListRequest { Filter = "displayName eq \"Phantom\"" }, default);
        Assert.Equal(0, listed["totalResults"]!.GetValue<int>());
        await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Phantom"), AttributeSelection.All, default); // the name is free
    }

    [Fact]
    public async Task Members_come_with_value_display_type_and_ref_and_excluded_members_are_never_read()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var id = await f.NewUserAsync("lena");
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Readers", id), AttributeSelection.All, default);
        var member = Assert.Single(group.Body!["members"]!.AsArray())!;
        Assert.Equal(id, member["value"]!.GetValue<string>());
        Assert.Equal("lena", member["display"]!.GetValue<string>());
        Assert.Equal("User", member["type"]!.GetValue<string>());
        Assert.Equal($"{f.Scope.BaseUrl}/Users/{id}", member["$ref"]!.GetValue<string>());

        f.Counter.Reset();
        var excluded = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, Excluding("members"), null, default);
        Assert.Equal(1, f.Counter.Total);
        Assert.Null(excluded.Body!["members"]);

        f.Counter.Reset();
        var listed = await f.List.ExecuteAsync(f.Scope, ScimResourceType.Group,
            new ListRequest { Filter = "displayName eq \"readers\"", Selection = Excluding("members") }, default);
        Assert.Equal(2, f.Counter.Reads);
        Assert.Null(listed["Resources"]![0]!["members"]);
    }

    [Fact]
    public async Task Both_removal_shapes_remove_exactly_the_named_members_and_re_adding_is_harmless()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("r", 4);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Shapes", [.. users]), AttributeSelection.All, default);

        await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, Patch(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{users[0]}\"]" }), null, AttributeSelection.All, false, default);
        await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, Patch(new JsonObject
        {
            ["op"] = "Remove", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = users[1] }),
        }), null, AttributeSelection.All, false, default);
        await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, AddMembers([users[2]]), null, AttributeSelection.All, false, default);

        var read = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal(users.Skip(2).Order(), read.Body!["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Replacing_members_signals_old_and_new_members_and_rename_signals_the_group()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("s", 3);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Before", users[0], users[1]), AttributeSelection.All, default);
        while (f.Signal.Users.TryDequeue(out _)) { }

        var patched = await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, Patch(
            new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["id"] = group.Id, ["displayName"] = "After" } },
            new JsonObject { ["op"] = "replace", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = users[2] }) }),
            null, Only("displayName", "members"), true, default);
        patched = await patched.MaterialisedAsync();

        Assert.Equal("After", patched.Body!["displayName"]!.GetValue<string>());
        Assert.Equal([users[2]], patched.Body["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
        Assert.Equal(users.ToHashSet(), f.Signal.SignalledUsers(f.Scope.DirectoryId));
        Assert.Contains((f.Scope.DirectoryId, group.Id), f.Signal.Groups);
    }

    [Fact]
    public async Task Patch_that_only_resends_the_same_name_writes_no_document()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var user = await f.NewUserAsync("t");
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Same"), AttributeSelection.All, default);
        f.Counter.Reset();
        await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, Patch(
            new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["id"] = group.Id, ["displayName"] = "Same" } },
            new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = user }) }),
            null, AttributeSelection.All, false, default);
        Assert.Equal(1, f.Counter.Transactions); // the membership transaction only
        Assert.Empty(f.Signal.Groups);
    }

    [Fact]
    public async Task Put_replaces_name_and_members_and_a_bad_member_changes_nothing()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("p", 3);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Put", users[0], users[1]), AttributeSelection.All, default);

        await Assert.ThrowsAsync<InvalidStoreValueException>(() =>
            f.ReplaceGroup.ExecuteAsync(f.Scope, group.Id, GroupBody("Put2", users[2], "0123456789abcdef0123456789abcdef"), null, AttributeSelection.All, default));
        var unchanged = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal("Put", unchanged.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(2, unchanged.Body["members"]!.AsArray().Count);

        var replaced = await f.ReplaceGroup.ExecuteAsync(f.Scope, group.Id, GroupBody("Put2", users[1], users[2]), null, AttributeSelection.All, default);
        Assert.Equal("Put2", replaced.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(users.Skip(1).Order(), replaced.Body["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order());
        var emptied = await f.ReplaceGroup.ExecuteAsync(f.Scope, group.Id, new JsonObject { ["displayName"] = "Put2" }, null, AttributeSelection.All, default);
        Assert.Null(emptied.Body!["members"]);
    }

    /// <summary>Every row of the directory's partition with its properties (the storage timestamp aside).</summary>
    private static async Task<Dictionary<string, string>> PartitionRowsAsync(ProvisioningFixture f)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in f.Storage.RawTable.QueryAsync<TableEntity>(e => e.PartitionKey == f.Storage.Partition))
        {
            rows[row.RowKey] = string.Join(";", row.Keys.Where(k => k is not ("Timestamp" or "odata.etag")).Order(StringComparer.Ordinal)
                .Select(k => $"{k}={(row[k] is byte[] bytes ? Convert.ToBase64String(bytes) : row[k])}"));
        }
        return rows;
    }

    [Fact]
    public async Task A_put_renaming_a_group_and_changing_its_members_commits_once_so_a_fault_leaves_it_as_it_was_or_done()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("atomic", 2);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Atomic", users[0]), AttributeSelection.All, default);
        var before = await PartitionRowsAsync(f);

        f.Storage.Faults.FailOn.Add(f.Counter.Transactions + 1); // the PUT's write
        await Assert.ThrowsAnyAsync<Exception>(() =>
            f.ReplaceGroup.ExecuteAsync(f.Scope, group.Id, GroupBody("Atomic2", users[1]), null, AttributeSelection.All, default));
        Assert.Equal(before, await PartitionRowsAsync(f)); // not the name without the members, nor a change row

        // Every transaction after that write fails: the only one is the display refresh, which the sweep finishes, so
        // the PUT has committed all it promised. (Written in two steps, the third was the member transaction: the
        // name changed, the members not.)
        var first = f.Counter.Transactions + 1;
        f.Storage.Faults.FailOn.UnionWith(Enumerable.Range(first + 1, 3));
        var replaced = await f.ReplaceGroup.ExecuteAsync(f.Scope, group.Id, GroupBody("Atomic2", users[1]), null, AttributeSelection.All, default);
        f.Storage.Faults.FailOn.Clear();

        Assert.Equal("Atomic2", replaced.Body!["displayName"]!.GetValue<string>());
        Assert.Equal([users[1]], replaced.Body["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
        var fresh = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal(fresh.Version, replaced.Version);
        Assert.Equal(replaced.Body.ToJsonString(), fresh.Body!.ToJsonString());
        var changes = (await PartitionRowsAsync(f)).Where(row => row.Key.StartsWith(PartitionLayout.ChangePrefix, StringComparison.Ordinal) && !before.ContainsKey(row.Key))
            .OrderBy(row => row.Key, StringComparer.Ordinal).Select(row => row.Value).ToList();
        Assert.Equal(2, changes.Count); // the group's change, then its members'
        Assert.Contains($"Kind={ChangeLog.GroupKind}", changes[0]);
        Assert.Contains($"Added={users[1]}", changes[1]);
        Assert.Contains($"Removed={users[0]}", changes[1]);
    }

    [Fact]
    public async Task A_put_renaming_a_group_and_changing_a_member_costs_one_transaction_for_both()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("renamed", 2);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Renamed", users[0]), AttributeSelection.All, default);

        f.Counter.Reset();
        await f.ReplaceGroup.ExecuteAsync(f.Scope, group.Id, GroupBody("Renamed2", users[1]), null, AttributeSelection.All, default);

        // Reads: the member keys, the added user, the group, the display refresh's member rows; writes: the one
        // transaction of document and members, the refresh's transaction and the delete of its due row. Written in
        // two steps it took the member transaction and the answer's member read more (3 transactions, 5 reads).
        Assert.Equal((4, 2, 1), (f.Counter.Reads, f.Counter.Transactions, f.Counter.OtherWrites));
    }

    [Fact]
    public async Task A_put_changing_one_member_costs_the_plan_the_group_read_and_one_transaction()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("small", 2);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Small", users[0]), AttributeSelection.All, default);

        f.Counter.Reset();
        var replaced = await f.ReplaceGroup.ExecuteAsync(f.Scope, group.Id, GroupBody("Small", users[0], users[1]), null, AttributeSelection.All, default);

        // The member keys, the added user and the group; the member transaction. The answer's members come from
        // the plan (a read after the commit took one more round trip).
        Assert.Equal((3, 1, 0), (f.Counter.Reads, f.Counter.Transactions, f.Counter.OtherWrites));
        Assert.Equal(users.Order(StringComparer.Ordinal), replaced.Body!["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
        var fresh = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal(fresh.Version, replaced.Version);
        Assert.Equal(replaced.Body.ToJsonString(), fresh.Body!.ToJsonString());
    }

    [Fact]
    public async Task A_patch_renaming_a_group_and_adding_a_member_commits_once_so_a_fault_on_that_write_changes_nothing()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("patched", 2);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Patched", users[0]), AttributeSelection.All, default);
        var before = await PartitionRowsAsync(f);
        var body = Patch(
            new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "Patched2" },
            new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = users[1] }) });

        f.Storage.Faults.FailOn.Add(f.Counter.Transactions + 1);
        await Assert.ThrowsAnyAsync<Exception>(() => f.PatchGroup.ExecuteAsync(f.Scope, group.Id, body, null, AttributeSelection.All, false, default));
        Assert.Equal(before, await PartitionRowsAsync(f));

        f.Counter.Reset();
        var patched = await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, body, null, AttributeSelection.All, false, default);
        // The document and the member in one transaction; the other is the display refresh's (two steps took 3).
        Assert.Equal(2, f.Counter.Transactions);
        var fresh = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal(fresh.Version, patched.Version);
        Assert.Equal("Patched2", fresh.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(users.Order(StringComparer.Ordinal), fresh.Body["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Nested_groups_are_refused()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var inner = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Inner"), AttributeSelection.All, default);
        var outer = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Outer"), AttributeSelection.All, default);
        var failure = await Assert.ThrowsAsync<InvalidStoreValueException>(() => f.PatchGroup.ExecuteAsync(f.Scope, outer.Id, Patch(new JsonObject
        {
            ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = inner.Id, ["type"] = "Group" }),
        }), null, AttributeSelection.All, true, default));
        Assert.Contains("groups do not nest", failure.Message);
        Assert.Equal([inner.Id], failure.OffendingValues);
    }

    [Fact]
    public async Task A_user_sent_with_type_Group_is_the_user_it_is()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("typed", 1);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Typed"), AttributeSelection.All, default);
        await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, Patch(new JsonObject
        {
            ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = users[0], ["type"] = "Group" }),
        }), null, AttributeSelection.All, true, default);
        var read = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal([users[0]], read.Body!["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Deleting_a_group_of_m_members_takes_order_m_over_100_transactions_and_signals_its_members()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("d", 100);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Doomed", [.. users]), AttributeSelection.All, default);
        while (f.Signal.Users.TryDequeue(out _)) { }

        f.Counter.Reset();
        await f.DeleteGroup.ExecuteAsync(f.Scope, group.Id, null, default);

        // 1 transaction for the document, ⌈100/25⌉ = 4 for member pairs with outbox rows and member merges; the marker delete.
        Assert.InRange(f.Counter.Transactions, 1, 1 + 4);
        Assert.InRange(f.Counter.Total, 1, 12);
        Assert.Empty(await f.Storage.RowKeysAsync(PartitionLayout.MembersOfGroupPrefix(group.Id)));
        Assert.Empty(await f.Storage.RowKeysAsync(PartitionLayout.GroupsOfUserPrefix(users[0])));
        Assert.Equal(users.ToHashSet(), f.Signal.SignalledUsers(f.Scope.DirectoryId));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default));
    }

    [Fact]
    public async Task Patch_with_a_stale_if_match_is_412_and_adds_no_member()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var user = await f.NewUserAsync("v");
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Versioned"), AttributeSelection.All, default);
        await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "V2" }), null, AttributeSelection.All, false, default);

        await Assert.ThrowsAsync<VersionMismatchException>(() => f.PatchGroup.ExecuteAsync(f.Scope, group.Id, AddMembers([user]), group.Version, AttributeSelection.All, true, default));
        Assert.Empty(await f.Storage.RowKeysAsync(PartitionLayout.MembersOfGroupPrefix(group.Id)));
    }

    [Fact]
    public async Task Adding_one_member_costs_at_most_four_round_trips_and_returns_the_current_version()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var user = await f.NewUserAsync("one");
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Small"), AttributeSelection.All, default);
        while (f.Signal.Users.TryDequeue(out _)) { }

        f.Counter.Reset();
        var patched = await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, AddMembers([user]), null, AttributeSelection.All, returnBody: false, default);

        // The group read, the user check and the member transaction; the role signal (a queue send) is the fourth.
        Assert.Equal((2, 1, 0), (f.Counter.Reads, f.Counter.Transactions, f.Counter.OtherWrites));
        Assert.Equal([user], Assert.Single(f.Signal.Users).UserIds);
        Assert.InRange(f.Counter.Total + f.Signal.Users.Count, 1, 4);
        var fresh = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.NotEqual(group.Version, patched.Version);
        Assert.Equal(fresh.Version, patched.Version);
        Assert.Null(patched.Body);
        Assert.Equal([user], fresh.Body!["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_patch_asked_for_a_body_answers_the_whole_group_members_included_at_one_more_read()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var users = await f.NewUsersAsync("whole", 2);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Whole", users[0]), AttributeSelection.All, default);

        f.Counter.Reset();
        var patched = await (await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, AddMembers([users[1]]), null, AttributeSelection.All, returnBody: true, default)).MaterialisedAsync();

        // The group read, the user check, and the member read of the answer.
        Assert.Equal((3, 1), (f.Counter.Reads, f.Counter.Transactions));
        Assert.Equal(users.Order(), patched.Body!["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order());
        Assert.Equal("Whole", patched.Body["displayName"]!.GetValue<string>());
        var fresh = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal(fresh.Version, patched.Version);
    }

    [Fact]
    public async Task A_group_write_racing_a_member_change_neither_fails_it_nor_leaves_a_stale_version()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var user = await f.NewUserAsync("raced");
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Raced"), AttributeSelection.All, default);
        // Another writer touches the group between the PATCH's read and its member transaction.
        f.Storage.Faults.Interleave = () => f.Storage.RawTable.UpdateEntityAsync(
            new TableEntity(f.Storage.Partition, ResourceKind.Group.DocumentKey(group.Id)) { ["Other"] = "write" }, ETag.All, TableUpdateMode.Merge);

        var patched = await f.PatchGroup.ExecuteAsync(f.Scope, group.Id, AddMembers([user]), null, AttributeSelection.All, returnBody: false, default);

        var fresh = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.Group, group.Id, AttributeSelection.All, null, default);
        Assert.Equal(fresh.Version, patched.Version);
        Assert.Equal([user], fresh.Body!["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
    }
}
