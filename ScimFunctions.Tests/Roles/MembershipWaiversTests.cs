using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ScimFunctions.Provisioning;
using ScimFunctions.Roles;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Roles;

public sealed class MembershipWaiversTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static JsonObject AddMember(params IEnumerable<string> userIds) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(new JsonObject
        {
            ["op"] = "add",
            ["path"] = "members",
            ["value"] = new JsonArray([.. userIds.Select(id => (JsonNode)new JsonObject { ["value"] = id })]),
        }),
    };

    private static (PatchGroupCommand Patch, ScimScope Scope) PatchOver(RoleWorld w, MembershipWaivers? waivers = null)
    {
        var signals = new RoleSignals([new QueueRoleRecomputeSignal(w.Queue, waivers ?? new MembershipWaivers(w.Roles, w.Options, w.Time))], NullLogger<RoleSignals>.Instance);
        var scope = new ScimScope(w.Directory, $"https://scim.example.test/scim/{w.Directory}/v2");
        return (new PatchGroupCommand(w.Store, new ResourceRenderer(w.Store), signals), scope);
    }

    /// <summary>Maps the group to "editor" and runs its fan-out's full pass with the recomputes it sends; returns the
    /// settle pass it scheduled, not yet run.</summary>
    private static async Task<RoleRecomputeMessage> MapToEditorAndRunTheFullPassAsync(RoleWorld w, string groupId)
    {
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, groupId, ["editor"], None);
        await w.Sweeper.SweepDirectoryAsync(w.Directory, TimeSpan.Zero, None);
        Assert.True(w.Queue.Pending.TryDequeue(out var fanOut));
        await w.Dispatcher.HandleAsync(fanOut!, None);
        var settle = Assert.Single(w.Queue.Delayed).Message;
        while (w.Queue.Pending.TryDequeue(out var message))
        {
            if (message != settle) await w.Dispatcher.HandleAsync(message, None);
        }
        return settle;
    }

    [Fact]
    public async Task Adding_a_member_to_a_group_that_maps_to_no_role_writes_no_outbox_row_and_sends_nothing_in_3_round_trips()
    {
        var w = await RoleWorld.CreateAsync(o => o.WaiverClockSlack = TimeSpan.Zero); // groups created just before count as older
        await w.DefineRolesAsync("editor");
        await w.Roles.SetDefaultRoleAsync(w.Directory, "editor", None); // a default role changes nothing for an unmapped group
        var users = await w.CreateUsersAsync(2);
        var mapped = await w.CreateGroupAsync("Editors");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, mapped, ["editor"], None);
        var plain = await w.CreateGroupAsync("Lunch club");
        var (patch, scope) = PatchOver(w);
        await w.Recomputer.RecomputeAsync(w.Directory, users, None); // the creates' own outbox rows
        await w.DrainAsync();
        await patch.ExecuteAsync(scope, plain, AddMember(users[1]), null, AttributeSelection.All, returnBody: false, None); // warm: the configuration is read once
        await w.DrainAsync();
        var sentBefore = w.Queue.Sent;
        w.Fixture.Counter.Reset();

        await patch.ExecuteAsync(scope, plain, AddMember(users[0]), null, AttributeSelection.All, returnBody: false, None);

        // The group read, the user check, the member transaction (the group's version comes back with it); no send.
        Assert.Equal(3, w.Fixture.Counter.Total);
        Assert.Equal(1, w.Fixture.Counter.Transactions);
        Assert.Equal(sentBefore, w.Queue.Sent);
        Assert.Empty(await w.OutboxAsync());

        // A mapped group records the outbox row and prompts, as before: the same 3 storage round trips and the send
        // (measured after a first change of the group, as the benchmark measures after a warm-up request).
        await patch.ExecuteAsync(scope, mapped, AddMember(users[1]), null, AttributeSelection.All, returnBody: false, None);
        await w.DrainAsync();
        foreach (var row in await w.OutboxAsync()) await w.Fixture.RawTable.DeleteEntityAsync(w.Fixture.Partition, row);
        sentBefore = w.Queue.Sent;
        w.Fixture.Counter.Reset();
        await patch.ExecuteAsync(scope, mapped, AddMember(users[0]), null, AttributeSelection.All, returnBody: false, None);
        Assert.Equal((2, 1, 0), (w.Fixture.Counter.Reads, w.Fixture.Counter.Transactions, w.Fixture.Counter.OtherWrites));
        Assert.Equal([PartitionLayout.Outbox(users[0])], await w.OutboxAsync());
        Assert.Equal(sentBefore + 1, w.Queue.Sent);
        await w.DrainAsync();
        Assert.Equal(["editor"], await w.RolesOfAsync(users[0]));
        sentBefore = w.Queue.Sent;

        // 100 members at once: 3 operations per member, so 4 transactions where outbox rows would take 5 (and the
        // removal of the record a change over several transactions takes).
        var hundred = await w.CreateUsersAsync(100, "many");
        await w.Recomputer.RecomputeAsync(w.Directory, hundred, None);
        w.Fixture.Counter.Reset();
        await patch.ExecuteAsync(scope, plain, AddMember(hundred), null, AttributeSelection.All, returnBody: false, None);
        Assert.Equal(4 + 1, w.Fixture.Counter.Transactions);
        Assert.Equal(sentBefore, w.Queue.Sent);
        Assert.Empty(await w.OutboxAsync());
    }

    [Fact]
    public async Task A_group_named_by_a_name_mapping_gets_no_waiver_whatever_the_case()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("viewer");
        var sales = await w.CreateGroupAsync("Sales");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.DisplayName, "SALES", ["viewer"], None);
        var waivers = new MembershipWaivers(w.Roles, w.Options, w.Time);

        Assert.Null(await waivers.ForGroupAsync(w.Directory, sales, "Sales", DateTimeOffset.MinValue, None));
        Assert.NotNull(await waivers.ForGroupAsync(w.Directory, sales, "Sales team", DateTimeOffset.MinValue, None));
    }

    [Fact]
    public async Task A_waiver_past_its_window_no_longer_holds_and_the_change_records_its_outbox_rows()
    {
        var w = await RoleWorld.CreateAsync();
        var users = await w.CreateUsersAsync(1);
        var groupId = await w.CreateGroupAsync("Lunch club");
        await w.DrainAsync();
        foreach (var row in await w.OutboxAsync()) await w.Fixture.RawTable.DeleteEntityAsync(w.Fixture.Partition, row);
        var group = (await w.Store.Groups.GetAsync(w.Directory, groupId))!;
        var plan = await w.Store.Memberships.PlanAsync(w.Directory, groupId, MembershipChange.Add(users[0]));
        var expired = new OutboxWaiver(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1));

        var change = await w.Store.Memberships.CommitAsync(w.Directory, group, plan, None, expired);

        Assert.Equal([users[0]], change.UsersToRecompute);
        Assert.Equal([PartitionLayout.Outbox(users[0])], await w.OutboxAsync());
    }

    [Fact]
    public async Task A_mapping_change_committed_after_the_waiver_read_reaches_the_waived_member_through_the_settle_pass()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor");
        var users = await w.CreateUsersAsync(2);
        var groupId = await w.CreateGroupAsync("Lunch club");
        await w.Store.Memberships.ApplyAsync(w.Directory, groupId, MembershipChange.Add(users[1])); // a member from before
        await w.DrainAsync();
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        var waivers = new MembershipWaivers(w.Roles, w.Options, w.Time);

        // 1. The membership change reads the configuration: the group maps to no role.
        var waiver = await waivers.ForGroupAsync(w.Directory, groupId, "Lunch club", DateTimeOffset.MinValue, None);
        Assert.NotNull(waiver);
        var group = (await w.Store.Groups.GetAsync(w.Directory, groupId))!;
        var plan = await w.Store.Memberships.PlanAsync(w.Directory, groupId, MembershipChange.Add(users[0]));

        // 2. A mapping change commits, and its fan-out's full pass runs before the membership change commits.
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, groupId, ["editor"], None);
        await w.Sweeper.SweepDirectoryAsync(w.Directory, TimeSpan.Zero, None);
        Assert.True(w.Queue.Pending.TryDequeue(out var fanOut));
        Assert.Equal(RecomputeScope.Group, fanOut!.Scope);
        await w.Dispatcher.HandleAsync(fanOut, None);

        // The full pass scheduled the settle pass, delayed by the settle time, and left the fan-out row.
        var (settle, delay) = Assert.Single(w.Queue.Delayed);
        Assert.NotNull(settle.Since);
        Assert.InRange(delay, w.Options.FanOutSettle - TimeSpan.FromSeconds(30), w.Options.FanOutSettle);
        Assert.Single(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutbox(groupId)));

        // 3. The waived membership change commits: no outbox row for the new member.
        var change = await w.Store.Memberships.CommitAsync(w.Directory, group, plan, None, waiver);
        Assert.Empty(change.UsersToRecompute);
        Assert.DoesNotContain(PartitionLayout.Outbox(users[0]), await w.OutboxAsync());

        // 4. Everything the queue holds runs (the full pass's user messages, then the settle pass).
        await w.DrainAsync();

        Assert.Equal(["editor"], await w.RolesOfAsync(users[1]));
        Assert.Equal(["editor"], await w.RolesOfAsync(users[0])); // reached only by the settle pass
        Assert.Empty(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutbox(groupId)));
        Assert.Empty(await w.OutboxAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a message of the per-role holder passes the removal pass replaced, still queued
    public async Task A_member_removed_under_a_waiver_read_before_a_mapping_change_loses_the_roles_the_full_pass_granted_it_in_the_settle_pass(bool queuedBeforeTheRemovalPass)
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor", "viewer");
        var users = await w.CreateUsersAsync(2);
        var groupId = await w.CreateGroupAsync("Lunch club");
        await w.Store.Memberships.ApplyAsync(w.Directory, groupId, MembershipChange.Add(users));
        await w.DrainAsync();
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        var waivers = new MembershipWaivers(w.Roles, w.Options, w.Time);

        // 1. A removal reads the configuration: the group maps to no role.
        var waiver = await waivers.ForGroupAsync(w.Directory, groupId, "Lunch club", DateTimeOffset.MinValue, None);
        Assert.NotNull(waiver);
        var plan = await w.Store.Memberships.PlanAsync(w.Directory, groupId, MembershipChange.Remove(users[0]));

        // 2. A mapping change commits; its full pass reaches both members and their recomputes grant the role.
        var settle = await MapToEditorAndRunTheFullPassAsync(w, groupId);
        Assert.Equal(["editor"], await w.RolesOfAsync(users[0]));

        // 3. The waived removal commits: no outbox row, no prompt, and no member row left for a pass to find.
        var group = (await w.Store.Groups.GetAsync(w.Directory, groupId))!;
        var change = await w.Store.Memberships.CommitAsync(w.Directory, group, plan, None, waiver);
        Assert.Empty(change.UsersToRecompute);
        Assert.Empty(await w.OutboxAsync());
        Assert.Equal(["editor"], await w.RolesOfAsync(users[0])); // stale until the settle pass

        // 4. The settle pass: the member rows since the change (none), then the removals the change log shows since it.
        if (queuedBeforeTheRemovalPass)
        {
            await w.Dispatcher.HandleAsync(settle with { HolderRole = "editor", After = "someHolder" }, None);
        }
        else
        {
            await w.Dispatcher.HandleAsync(settle, None);
            Assert.Single(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutbox(groupId))); // pending until the removal pass
        }
        await w.DrainAsync();

        Assert.Empty(await w.RolesOfAsync(users[0]));
        Assert.Equal(["editor"], await w.RolesOfAsync(users[1]));
        Assert.Empty(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutbox(groupId)));
        Assert.Empty(await w.OutboxAsync());
    }

    [Fact]
    public async Task A_settle_pass_recomputes_no_one_who_gained_the_group_s_roles_through_another_group()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor");
        var members = await w.CreateUsersAsync(2);
        var others = await w.CreateUsersAsync(30, "other");
        var groupId = await w.CreateGroupAsync("Lunch club");
        var otherGroup = await w.CreateGroupAsync("Editors");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, otherGroup, ["editor"], None);
        await w.Store.Memberships.ApplyAsync(w.Directory, groupId, MembershipChange.Add(members));
        await w.Sweeper.SweepDirectoryAsync(w.Directory, TimeSpan.Zero, None);
        await w.DrainAsync(); // the other group's fan-out and settle pass too
        while (w.Queue.Delayed.TryDequeue(out _)) { }

        // The group's mapping change and its full pass; then, before its settle pass, 30 users join another group
        // that grants the same role, and their recomputes write their holder rows: all newer than the change.
        var settle = await MapToEditorAndRunTheFullPassAsync(w, groupId);
        await w.Store.Memberships.ApplyAsync(w.Directory, otherGroup, MembershipChange.Add(others));
        await w.Recomputer.RecomputeAsync(w.Directory, others, None);
        Assert.Equal(["editor"], await w.RolesOfAsync(others[0]));
        Assert.Empty(await w.OutboxAsync());

        // The settle pass: no removal since the change, so it names no one of the other group (the group's own
        // members only if their rows are within its few seconds' bound before the change).
        var named = new List<string>();
        await w.Dispatcher.HandleAsync(settle, None);
        while (w.Queue.Pending.TryDequeue(out var message))
        {
            named.AddRange(message.UserIds ?? []);
            await w.Dispatcher.HandleAsync(message, None);
        }
        Assert.Empty(named.Intersect(others));
        Assert.Subset(members.ToHashSet(), named.ToHashSet());
        Assert.Empty(await w.OutboxAsync());
        Assert.Empty(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutbox(groupId)));
        Assert.Equal(["editor"], await w.RolesOfAsync(members[0]));
    }

    [Fact]
    public async Task A_group_created_with_a_name_mapped_after_the_waiver_read_gets_no_waiver_and_its_members_gain_the_role()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("editor");
        var users = await w.CreateUsersAsync(1);
        var plain = await w.CreateGroupAsync("Lunch club");
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        var waivers = new MembershipWaivers(w.Roles, w.Options, w.Time);

        // 1. A waiver read caches the configuration: no mapping yet.
        Assert.NotNull(await waivers.ForGroupAsync(w.Directory, plain, "Lunch club", DateTimeOffset.MinValue, None));

        // 2. A name mapping commits while no group carries the name: nobody to fan out to.
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.DisplayName, "Night shift", ["editor"], None);
        Assert.Empty(await w.Fixture.RowKeysAsync(PartitionLayout.GroupOutboxPrefix));

        // 3. A group is created with that name, and a member added while the cached read still stands.
        var nightShift = await w.CreateGroupAsync("Night shift");
        var group = (await w.Store.Groups.GetAsync(w.Directory, nightShift))!;
        Assert.Null(await waivers.ForGroupAsync(w.Directory, nightShift, "Night shift", group.Created, None));
        var (patch, scope) = PatchOver(w, waivers);
        await patch.ExecuteAsync(scope, nightShift, AddMember(users[0]), null, AttributeSelection.All, returnBody: false, None);

        Assert.Contains(PartitionLayout.Outbox(users[0]), await w.OutboxAsync());
        await w.DrainAsync();
        Assert.Equal(["editor"], await w.RolesOfAsync(users[0]));
    }
}
