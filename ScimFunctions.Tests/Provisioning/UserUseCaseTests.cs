using System.Text.Json.Nodes;
using ScimFunctions.Provisioning;
using ScimFunctions.Scim;
using ScimFunctions.Storage;
using static ScimFunctions.Tests.Provisioning.ProvisioningFixture;

namespace ScimFunctions.Tests.Provisioning;

public sealed class UserUseCaseTests
{
    [Fact]
    public async Task Create_user_is_one_write_transaction_and_no_reads_and_records_and_signals_the_users_recompute()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var created = await f.CreateUser.ExecuteAsync(f.Scope, UserBody("alice", "ext-1"), AttributeSelection.All, default);

        Assert.Equal(1, f.Counter.Transactions);
        Assert.Equal(0, f.Counter.Reads);
        Assert.Equal(0, f.Counter.OtherWrites);
        // The default role may apply to a new user: its outbox row rides in the create's transaction, then one prompt.
        Assert.True(await f.Storage.RowExistsAsync(PartitionLayout.Outbox(created.Id)));
        Assert.Equal([created.Id], Assert.Single(f.Signal.Users).UserIds);
        Assert.Equal($"{f.Scope.BaseUrl}/Users/{created.Id}", created.Body!["meta"]!["location"]!.GetValue<string>());
        Assert.Equal(created.Version, created.Body["meta"]!["version"]!.GetValue<string>());
        Assert.Equal("User", created.Body["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal("Given alice", created.Body["name"]!["givenName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_by_id_is_one_read_without_groups_and_reads_membership_rows_beside_it_otherwise()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var userId = await f.NewUserAsync("bob");
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Engineers", userId), AttributeSelection.All, default);

        f.Counter.Reset();
        var bare = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, userId, Excluding("groups"), null, default);
        Assert.Equal(1, f.Counter.Total);
        Assert.Null(bare.Body!["groups"]);

        f.Counter.Reset();
        var full = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, userId, AttributeSelection.All, null, default);
        Assert.Equal(2, f.Counter.Reads); // the document and the memberOf rows, requested together
        var groups = full.Body!["groups"]!.AsArray();
        var only = Assert.Single(groups);
        Assert.Equal(group.Id, only!["value"]!.GetValue<string>());
        Assert.Equal("Engineers", only["display"]!.GetValue<string>());
        Assert.Equal("direct", only["type"]!.GetValue<string>());
        Assert.Equal($"{f.Scope.BaseUrl}/Groups/{group.Id}", only["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_ids_are_404_without_scimType_and_ids_never_issued_cost_no_round_trip()
    {
        var f = await ProvisioningFixture.CreateAsync();
        f.Counter.Reset();
        var failure = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, Guid.NewGuid().ToString(), AttributeSelection.All, null, default));
        Assert.Equal(404, failure.Status);
        Assert.Null(failure.ScimType);
        Assert.Equal(0, f.Counter.Total);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, Guid.NewGuid().ToString("N"), AttributeSelection.All, null, default));
    }

    [Fact]
    public async Task If_none_match_with_the_current_version_gives_no_body()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var created = await f.CreateUser.ExecuteAsync(f.Scope, UserBody("carol"), AttributeSelection.All, default);
        var same = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, created.Id, AttributeSelection.All, created.Version, default);
        Assert.Null(same.Body);
        var other = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, created.Id, AttributeSelection.All, "W/\"c29tZXRoaW5nLWVsc2U\"", default);
        Assert.NotNull(other.Body);
    }

    [Fact]
    public async Task Put_replaces_the_whole_user_and_keeps_id_created_and_groups()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var created = await f.CreateUser.ExecuteAsync(f.Scope, UserBody("dave", "ext-d"), AttributeSelection.All, default);
        var group = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Ops", created.Id), AttributeSelection.All, default);
        var replacement = new JsonObject { ["userName"] = "dave", ["id"] = null, ["displayName"] = "Dave D", ["active"] = "true" };

        var replaced = await f.ReplaceUser.ExecuteAsync(f.Scope, created.Id, replacement, null, AttributeSelection.All, default);

        Assert.Equal(created.Id, replaced.Id);
        Assert.Null(replaced.Body!["emails"]);
        Assert.Null(replaced.Body["name"]);
        Assert.Null(replaced.Body["externalId"]);
        Assert.Equal("Dave D", replaced.Body["displayName"]!.GetValue<string>());
        Assert.True(replaced.Body["active"]!.GetValue<bool>());
        Assert.Equal(created.Body!["meta"]!["created"]!.GetValue<string>(), replaced.Body["meta"]!["created"]!.GetValue<string>());
        Assert.Equal(group.Id, replaced.Body["groups"]![0]!["value"]!.GetValue<string>());
        var byOldExternalId = await f.List.ExecuteAsync(f.Scope, ScimResourceType.User, new ListRequest { Filter = "externalId eq \"ext-d\"" }, default);
        Assert.Equal(0, byOldExternalId["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_412_and_changes_nothing()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var created = await f.CreateUser.ExecuteAsync(f.Scope, UserBody("erin"), AttributeSelection.All, default);
        await f.PatchUser.ExecuteAsync(f.Scope, created.Id, Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "E" }), null, AttributeSelection.All, true, default);

        var failure = await Assert.ThrowsAsync<VersionMismatchException>(() =>
            f.ReplaceUser.ExecuteAsync(f.Scope, created.Id, new JsonObject { ["userName"] = "erin2" }, created.Version, AttributeSelection.All, default));
        Assert.Equal(412, failure.Status);
        await Assert.ThrowsAsync<VersionMismatchException>(() =>
            f.PatchUser.ExecuteAsync(f.Scope, created.Id, Patch(new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = false }), created.Version, AttributeSelection.All, true, default));
        await Assert.ThrowsAsync<VersionMismatchException>(() => f.DeleteUser.ExecuteAsync(f.Scope, created.Id, created.Version, default));

        var current = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, created.Id, AttributeSelection.All, null, default);
        Assert.Equal("erin", current.Body!["userName"]!.GetValue<string>());
        Assert.True(current.Body["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Deactivated_users_stay_readable_reactivate_and_each_change_of_active_is_signalled()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var id = await f.NewUserAsync("frank");
        while (f.Signal.Users.TryDequeue(out _)) { } // the create's own prompt

        var suspended = await f.PatchUser.ExecuteAsync(f.Scope, id,
            Patch(new JsonObject { ["op"] = "Replace", ["path"] = "active", ["value"] = "False" }), null, AttributeSelection.All, true, default);
        Assert.False(suspended.Body!["active"]!.GetValue<bool>());
        var read = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, id, AttributeSelection.All, null, default);
        Assert.False(read.Body!["active"]!.GetValue<bool>());
        Assert.Single(f.Signal.Users);

        await f.PatchUser.ExecuteAsync(f.Scope, id, Patch(new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["active"] = true } }), null, AttributeSelection.All, true, default);
        var reactivated = await f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, id, AttributeSelection.All, null, default);
        Assert.True(reactivated.Body!["active"]!.GetValue<bool>());
        Assert.Equal(2, f.Signal.Users.Count);

        // A change that leaves active alone prompts nothing.
        await f.PatchUser.ExecuteAsync(f.Scope, id, Patch(new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = "CTO" }), null, AttributeSelection.All, true, default);
        Assert.Equal(2, f.Signal.Users.Count);
    }

    [Fact]
    public async Task A_failing_role_signal_never_fails_the_committed_change()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var id = await f.NewUserAsync("gina");
        f.Signal.Failure = new InvalidOperationException("queue down");
        var patched = await f.PatchUser.ExecuteAsync(f.Scope, id, Patch(new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = false }), null, AttributeSelection.All, true, default);
        Assert.False(patched.Body!["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Delete_removes_the_user_and_all_its_memberships_and_signals_the_user()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var id = await f.NewUserAsync("hank");
        var one = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("One", id), AttributeSelection.All, default);
        var two = await f.CreateGroup.ExecuteAsync(f.Scope, GroupBody("Two", id), AttributeSelection.All, default);

        await f.DeleteUser.ExecuteAsync(f.Scope, id, null, default);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, id, AttributeSelection.All, null, default));
        Assert.Empty(await f.Storage.RowKeysAsync(PartitionLayout.GroupsOfUserPrefix(id)));
        Assert.Empty(await f.Storage.RowKeysAsync(PartitionLayout.MembersOfGroupPrefix(one.Id)));
        Assert.Empty(await f.Storage.RowKeysAsync(PartitionLayout.MembersOfGroupPrefix(two.Id)));
        Assert.Contains(id, f.Signal.SignalledUsers(f.Scope.DirectoryId));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.DeleteUser.ExecuteAsync(f.Scope, id, null, default));
    }

    [Fact]
    public async Task Bad_bodies_are_scim_errors_and_store_nothing()
    {
        var f = await ProvisioningFixture.CreateAsync();
        var noName = await Assert.ThrowsAsync<ScimException>(() => f.CreateUser.ExecuteAsync(f.Scope, new JsonObject { ["displayName"] = "x" }, AttributeSelection.All, default));
        Assert.Equal((400, "invalidValue"), (noName.Status, noName.ScimType));
        var badActive = await Assert.ThrowsAsync<ScimException>(() => f.CreateUser.ExecuteAsync(f.Scope, new JsonObject { ["userName"] = "x", ["active"] = "maybe" }, AttributeSelection.All, default));
        Assert.Equal(400, badActive.Status);
        Assert.Empty(await f.Storage.AllRowKeysAsync());
    }

    [Fact]
    public async Task Duplicate_user_name_in_any_case_is_409_uniqueness_but_another_directory_may_use_it()
    {
        var f = await ProvisioningFixture.CreateAsync();
        await f.NewUserAsync("Ivy");
        var clash = await Assert.ThrowsAsync<UniquenessConflictException>(() => f.CreateUser.ExecuteAsync(f.Scope, UserBody("ivy"), AttributeSelection.All, default));
        Assert.Equal((409, "uniqueness"), (clash.Status, clash.ScimType));
        var elsewhere = await f.CreateUser.ExecuteAsync(f.OtherDirectory(), UserBody("ivy"), AttributeSelection.All, default);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Get.ExecuteAsync(f.Scope, ScimResourceType.User, elsewhere.Id, AttributeSelection.All, null, default));
    }
}
