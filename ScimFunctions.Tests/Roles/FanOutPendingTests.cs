using System.Text.Json.Nodes;
using ScimFunctions.Roles;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Roles;

/// <summary>
/// A fan-out's users stay pending, durably, until each is recomputed: before the fan-out runs (its own row
/// covers them), after it cleared its row (their own rows do), and even when every per-user message it sent is
/// lost (the sweep resends their rows).
/// </summary>
public sealed class FanOutPendingTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const int Members = 150;

    public enum FanOut { MappingById, DefaultRole, RenameOntoMappedName }

    [Theory]
    [InlineData(FanOut.MappingById)]
    [InlineData(FanOut.DefaultRole)]
    [InlineData(FanOut.RenameOntoMappedName)]
    public async Task Users_of_a_fan_out_whose_messages_are_lost_stay_pending_until_the_sweep_recomputes_each(FanOut fanOut)
    {
        var w = await RoleWorld.CreateAsync(o => o.FanOutPageSize = 64);
        await w.DefineRolesAsync("granted");
        var users = await w.CreateUsersAsync(Members, "fan");
        var group = await w.CreateGroupAsync("Team");
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        Assert.Empty(await w.OutboxAsync());
        await AssertPendingAsync(w, users, expected: false);

        var signal = new QueueRoleRecomputeSignal(w.Queue);
        switch (fanOut)
        {
            case FanOut.MappingById:
                await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["granted"], None);
                await signal.SignalGroupAsync(w.Directory, group, None);
                break;
            case FanOut.DefaultRole:
                await w.Roles.SetDefaultRoleAsync(w.Directory, "granted", None);
                await signal.SignalDirectoryAsync(w.Directory, None);
                break;
            case FanOut.RenameOntoMappedName:
                await w.Roles.PutMappingAsync(w.Directory, GroupMatch.DisplayName, "Granted team", ["granted"], None);
                await w.Store.Groups.ReplaceAsync(w.Directory, group, new JsonObject { ["displayName"] = "Granted team" });
                await signal.SignalGroupAsync(w.Directory, group, None);
                break;
        }

        // Recorded, not yet applied: the fan-out's own row says so for every user it reaches.
        await AssertPendingAsync(w, users, expected: true);
        var (pendingUsers, pendingFanOuts, _) = await new RoleHealthStore(w.Data).ReadPendingAsync(w.Directory, None);
        Assert.Equal((0, 1), (pendingUsers, pendingFanOuts));

        // The fan-out runs to its end (a group's settle pass included, which names again the members written
        // just before the change), but every per-user message it sends is lost.
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        while (w.Queue.Pending.TryDequeue(out var message))
        {
            if (message.Scope == RecomputeScope.Users) dropped.UnionWith(message.UserIds!);
            else await w.Dispatcher.HandleAsync(message, None);
        }
        Assert.Equal(Members, dropped.Count);
        (pendingUsers, pendingFanOuts, _) = await new RoleHealthStore(w.Data).ReadPendingAsync(w.Directory, None);
        Assert.Equal((Members, 0), (pendingUsers, pendingFanOuts));
        await AssertPendingAsync(w, users, expected: true);
        foreach (var user in users) Assert.Empty(await w.RolesOfAsync(user));

        // The sweep finds each user's own row and resends it.
        Assert.True(await w.Sweeper.SweepDirectoryAsync(w.Directory, TimeSpan.Zero, None) > 0);
        await w.DrainAsync();

        foreach (var user in users) Assert.Equal(["granted"], await w.RolesOfAsync(user));
        await AssertPendingAsync(w, users, expected: false);
        (pendingUsers, pendingFanOuts, _) = await new RoleHealthStore(w.Data).ReadPendingAsync(w.Directory, None);
        Assert.Equal((0, 0), (pendingUsers, pendingFanOuts));
    }

    [Fact]
    public async Task Holders_of_a_deleted_role_are_pending_until_recomputed_even_with_their_messages_lost()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("kept", "old");
        var users = await w.CreateUsersAsync(5, "holder");
        var group = await w.CreateGroupAsync("Holders");
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["kept", "old"], None);
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));
        await w.Recomputer.RecomputeAsync(w.Directory, users, None);
        await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["kept"], None);
        await w.Fixture.DeleteRowsAsync(PartitionLayout.GroupOutboxPrefix); // only the role delete's fan-out is under test

        Assert.True(await w.Roles.DeleteRoleAsync(w.Directory, "old", None));
        await AssertPendingAsync(w, users, expected: true);
        await new QueueRoleRecomputeSignal(w.Queue).SignalRoleHoldersAsync(w.Directory, "old", None);
        while (w.Queue.Pending.TryDequeue(out var message))
        {
            if (message.Scope != RecomputeScope.Users) await w.Dispatcher.HandleAsync(message, None);
        }
        Assert.False(await w.Fixture.RowExistsAsync(PartitionLayout.RoleOutbox("old")));
        await AssertPendingAsync(w, users, expected: true);

        await w.Sweeper.SweepDirectoryAsync(w.Directory, TimeSpan.Zero, None);
        await w.DrainAsync();
        foreach (var user in users) Assert.Equal(["kept"], await w.RolesOfAsync(user));
        await AssertPendingAsync(w, users, expected: false);
    }

    private static async Task AssertPendingAsync(RoleWorld w, IEnumerable<string> users, bool expected)
    {
        foreach (var user in users)
        {
            Assert.True(expected == (await w.Roles.ReadUserRolesAsync(w.Directory, user, None)).Pending,
                $"User {user} should {(expected ? "" : "not ")}be pending.");
        }
    }
}
