using Azure.Data.Tables;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

public sealed class RoleRecomputeStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static IReadOnlyList<string> Roles(int from, int count) =>
        Enumerable.Range(from, count).Select(i => $"r{i:D3}").ToList();

    private static async Task<(StoreFixture Fixture, RoleRecomputeStore Rows, string UserId)> UserWithOutboxAsync()
    {
        var f = await StoreFixture.CreateAsync();
        var rows = new RoleRecomputeStore(new ScimDataTable(f.Service, new ScimStorageOptions { TableName = StoreFixture.TableName }));
        var user = await f.Store.Users.CreateAsync(f.Directory, new() { ["userName"] = "many-roles@example.com" }); // writes its outbox row
        f.Counter.Reset();
        return (f, rows, user.Id);
    }

    private static async Task<List<string>> HeldRolesAsync(StoreFixture f, string userId)
    {
        var held = new List<string>();
        await foreach (var row in f.RawTable.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {f.Partition} and RowKey ge {PartitionLayout.HolderPrefix} and RowKey lt {PartitionLayout.PrefixEnd(PartitionLayout.HolderPrefix)}"),
            select: ["RowKey"]))
        {
            if (PartitionLayout.LastSegment(row.RowKey) == userId) held.Add(row.RowKey.Split('|')[1]);
        }
        return held.Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task A_change_of_more_holder_rows_than_one_transaction_holds_is_written_in_transactions_of_at_most_100()
    {
        var (f, rows, userId) = await UserWithOutboxAsync();
        var guard = await rows.ReadGuardAsync(f.Directory, userId, None);
        f.Counter.Reset();

        var wanted = Roles(0, 150);
        Assert.True(await rows.TryCommitAsync(f.Directory, guard, new AssignmentChange(userId, [], wanted, 1, false, true, DateTimeOffset.UtcNow), None));

        // Staging write, 150 holder rows in 2 transactions, the final write: Azurite refuses a transaction over 100.
        Assert.Equal(4, f.Counter.Transactions);
        Assert.Equal(wanted, await HeldRolesAsync(f, userId));
        var assignment = (await f.RawTable.GetEntityAsync<TableEntity>(f.Partition, PartitionLayout.Assignment(userId))).Value;
        Assert.Equal(wanted, RoleRows.ReadRoles(assignment));
        Assert.Null(assignment.GetString(RoleRows.StagedRolesProperty));
        Assert.False(await f.RowExistsAsync(PartitionLayout.Outbox(userId)));
    }

    [Fact]
    public async Task A_crash_between_the_steps_leaves_the_user_pending_and_the_next_recompute_reconciles_every_holder_row()
    {
        var (f, rows, userId) = await UserWithOutboxAsync();
        var guard = await rows.ReadGuardAsync(f.Directory, userId, None);
        f.Faults.FailOn.Add(4); // transactions so far: the create (1); then staging (2), holders (3, 4): 100 of 150 holder rows are written

        await Assert.ThrowsAsync<IOException>(() =>
            rows.TryCommitAsync(f.Directory, guard, new AssignmentChange(userId, [], Roles(0, 150), 1, false, true, DateTimeOffset.UtcNow), None));

        Assert.True(await f.RowExistsAsync(PartitionLayout.Outbox(userId))); // still pending: the sweep finds it
        Assert.Equal(100, (await HeldRolesAsync(f, userId)).Count);
        var retry = await rows.ReadGuardAsync(f.Directory, userId, None);
        Assert.True(retry.Assignment!.HasStagedChange);
        Assert.Empty(retry.Assignment.Roles); // readers see the roles from before the change

        // Meanwhile the wanted set shrank: the retry removes what the staged change wrote (and the rows it never wrote).
        var wanted = Roles(140, 5);
        Assert.True(await rows.TryCommitAsync(f.Directory, retry, new AssignmentChange(userId, retry.Assignment.Roles, wanted, 1, false, true, DateTimeOffset.UtcNow), None));

        Assert.Equal(wanted, await HeldRolesAsync(f, userId));
        var done = await rows.ReadGuardAsync(f.Directory, userId, None);
        Assert.Equal(wanted, done.Assignment!.Roles);
        Assert.False(done.Assignment.HasStagedChange);
        Assert.Null(done.OutboxVersion);
    }

    [Fact]
    public async Task A_change_that_fits_is_one_transaction()
    {
        var (f, rows, userId) = await UserWithOutboxAsync();
        var guard = await rows.ReadGuardAsync(f.Directory, userId, None);
        f.Counter.Reset();

        Assert.True(await rows.TryCommitAsync(f.Directory, guard, new AssignmentChange(userId, [], Roles(0, 90), 1, false, true, DateTimeOffset.UtcNow), None));

        Assert.Equal(1, f.Counter.Transactions);
        Assert.Equal(90, (await HeldRolesAsync(f, userId)).Count);
    }
}
