using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using ScimFunctions.Directories;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Storage;

public sealed class PendingDeleteSweepTests
{
    [Fact]
    public async Task The_sweep_finishes_a_user_delete_cut_after_its_first_transaction_in_every_directory()
    {
        var directories = new DirectoryStore(new EnsuredTable(new TableServiceClient(TestStorage.ConnectionString), "SweepTestDirectories"), TimeProvider.System);
        var directory = await directories.CreateAsync("Sweep", DirectoryProvider.Other, default);
        var f = await StoreFixture.CreateAsync();
        var store = f.Store;
        var users = new List<string>();
        foreach (var name in new[] { "leaving", "staying" }) users.Add((await store.Users.CreateAsync(directory.Id, new JsonObject { ["userName"] = name })).Id);
        var group = await store.Groups.CreateAsync(directory.Id, new JsonObject { ["displayName"] = "Team" });
        await store.Memberships.ApplyAsync(directory.Id, group.Id, MembershipChange.Add(users));
        var partition = PartitionLayout.Partition(directory.Id);
        f.Faults.FailOn.Add(f.Counter.Transactions + 2); // the delete's first transaction commits, its membership removal fails

        await store.Users.DeleteAsync(directory.Id, users[0]); // committed: the cleanup's failure is the sweep's to finish
        Assert.Null(await store.Users.GetAsync(directory.Id, users[0]));
        Assert.True((await f.RawTable.GetEntityIfExistsAsync<TableEntity>(partition, ResourceKind.User.DeletingKey(users[0]))).HasValue);
        Assert.True((await f.RawTable.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.Member(group.Id, users[0]))).HasValue);

        var sweeper = new PendingDeleteSweeper(store, directories, NullLogger<PendingDeleteSweeper>.Instance);
        Assert.True(await sweeper.SweepAllAsync(default) >= 1);

        Assert.False((await f.RawTable.GetEntityIfExistsAsync<TableEntity>(partition, ResourceKind.User.DeletingKey(users[0]))).HasValue);
        Assert.False((await f.RawTable.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.Member(group.Id, users[0]))).HasValue);
        Assert.False((await f.RawTable.GetEntityIfExistsAsync<TableEntity>(partition, PartitionLayout.MemberOf(users[0], group.Id))).HasValue);
        Assert.Equal([users[1]], (await store.Memberships.MemberIdsAsync(directory.Id, group.Id)).ToList());
        Assert.Equal(0, await store.Users.ResumePendingDeletesAsync(directory.Id));
    }
}
