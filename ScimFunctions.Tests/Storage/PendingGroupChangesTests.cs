using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Storage;

/// <summary>
/// A group write whose member change is larger than its document's transaction holds records the change in that
/// transaction; the sweep finishes it when the request stopped half way, unless a later write of the group got in.
/// </summary>
public sealed class PendingGroupChangesTests
{
    private const int Added = 30; // 24 in the first member transaction, 6 in the second

    private static async Task<List<string>> CreateUsersAsync(StoreFixture f, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++) ids.Add((await f.Store.Users.CreateAsync(f.Directory, new JsonObject { ["userName"] = $"user{i}" })).Id);
        return ids;
    }

    /// <summary>The document changes (no rename, so no display refresh between its transaction and the members').</summary>
    private static JsonObject Replacement(string displayName, string externalId) => new() { ["displayName"] = displayName, ["externalId"] = externalId };

    private static async Task<List<TableEntity>> MembershipChangeRowsAsync(StoreFixture f, string groupId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in f.RawTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {f.Partition} and RowKey ge {PartitionLayout.ChangePrefix} and RowKey lt {"change}"}")))
        {
            if (row.GetString(ChangeLog.KindProperty) == ChangeLog.MembershipKind && row.GetString(ChangeLog.IdProperty) == groupId) rows.Add(row);
        }
        return rows;
    }

    private static List<string> Ids(IEnumerable<TableEntity> rows, string property) =>
        rows.SelectMany(row => (row.GetString(property) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();

    [Fact]
    public async Task A_large_change_cut_after_its_first_member_transaction_is_finished_by_the_sweep_without_repeats()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, Added);
        var group = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Large" });
        var current = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        var plan = await f.Store.Memberships.PlanAsync(f.Directory, group.Id, MembershipChange.Add(users));
        f.Faults.FailOn.Add(f.Counter.Transactions + 3); // the document's and the first member transaction commit

        await Assert.ThrowsAnyAsync<Exception>(() => f.Store.Memberships.ReplaceGroupAsync(f.Directory, current, Replacement("Large", "ext-1"), plan));

        Assert.Equal(24, (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).Count);
        Assert.NotEmpty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
        // A record younger than any request could run is the request's own: the sweep leaves it.
        Assert.Equal(0, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default));
        Assert.NotEmpty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));

        Assert.Equal(1, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default, olderThan: TimeSpan.Zero));

        Assert.Equal(users.ToHashSet(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).ToHashSet());
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
        var stored = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        Assert.Equal("ext-1", stored.Document["externalId"]!.GetValue<string>());
        var added = Ids(await MembershipChangeRowsAsync(f, group.Id), ChangeLog.AddedProperty);
        Assert.Equal(users.Order(), added.Order()); // each user logged as added once: the sweep wrote only the 6 left
        foreach (var userId in users) Assert.NotEmpty(await f.RowKeysAsync(PartitionLayout.MemberOf(userId, group.Id)));
        Assert.Equal(0, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default, olderThan: TimeSpan.Zero));
    }

    [Fact]
    public async Task A_member_change_alone_cut_after_its_first_transaction_is_finished_by_the_sweep_without_repeats()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, Added);
        var group = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Members only" });
        var plan = await f.Store.Memberships.PlanAsync(f.Directory, group.Id, MembershipChange.Add(users));
        var current = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        f.Faults.FailOn.Add(f.Counter.Transactions + 2); // the first member transaction (with the record) commits

        await Assert.ThrowsAnyAsync<Exception>(() => f.Store.Memberships.CommitAsync(f.Directory, current, plan));

        Assert.Equal(24, (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).Count);
        Assert.NotEmpty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
        Assert.Equal(0, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default));

        Assert.Equal(1, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default, olderThan: TimeSpan.Zero));

        Assert.Equal(users.Order(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).Order());
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
        Assert.Equal(users.Order(), Ids(await MembershipChangeRowsAsync(f, group.Id), ChangeLog.AddedProperty).Order());
    }

    [Fact]
    public async Task A_member_change_alone_that_fits_one_transaction_records_nothing_and_a_larger_one_clears_its_record()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, Added);
        var small = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Small" });
        var large = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Large" });

        f.Counter.Reset();
        await f.Store.Memberships.ApplyAsync(f.Directory, small.Id, MembershipChange.Add(users.Take(MembershipStore.MembersPerTransaction)));
        Assert.Equal(1, f.Counter.Transactions);

        f.Counter.Reset();
        var result = await f.Store.Memberships.ApplyAsync(f.Directory, large.Id, MembershipChange.Add(users));
        Assert.Equal((2, 3), (result.Transactions, f.Counter.Transactions)); // two of members, the record's removal
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
        Assert.Equal(users.Order(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, large.Id)).Order());
    }

    [Fact]
    public async Task A_cut_replace_all_is_dropped_when_a_later_write_of_the_group_got_in_and_finished_when_none_did()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, Added + 1);
        var (keptOut, wanted) = (users[0], users.Skip(1).ToList());
        var superseded = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Superseded" });
        var finished = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Finished" });
        foreach (var group in new[] { superseded, finished })
        {
            await f.Store.Memberships.ApplyAsync(f.Directory, group.Id, MembershipChange.Add(keptOut));
            var current = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
            var exactly = new MembershipChange(true, wanted.Select(id => new MemberRef(id)).ToList(), []);
            var plan = await f.Store.Memberships.PlanAsync(f.Directory, group.Id, exactly);
            f.Faults.FailOn.Add(f.Counter.Transactions + 2); // only the document's transaction commits
            await Assert.ThrowsAnyAsync<Exception>(() => f.Store.Memberships.ReplaceGroupAsync(f.Directory, current, Replacement(group.Document["displayName"]!.GetValue<string>(), "ext-2"), plan));
            Assert.Equal([keptOut], (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).ToList());
        }
        // A later member change of one group: its members are what that write left, not the cut request's.
        await f.Store.Memberships.ApplyAsync(f.Directory, superseded.Id, MembershipChange.Add(wanted[0]));

        Assert.Equal(2, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default, olderThan: TimeSpan.Zero));

        Assert.Equal(new[] { keptOut, wanted[0] }.Order(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, superseded.Id)).Order());
        Assert.Equal(wanted.Order(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, finished.Id)).Order());
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
    }

    [Fact]
    public async Task Two_large_changes_of_one_group_keep_records_of_their_own_so_one_cut_while_an_earlier_one_runs_is_finished()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 2 * Added);
        var (earlierUsers, laterUsers) = (users[..Added], users[Added..]);
        var group = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Shared" });
        var earlierPlan = await f.Store.Memberships.PlanAsync(f.Directory, group.Id, MembershipChange.Add(earlierUsers));
        var laterPlan = await f.Store.Memberships.PlanAsync(f.Directory, group.Id, MembershipChange.Add(laterUsers));
        // The later change runs on a client of its own whose second transaction fails.
        var laterFaults = new FailingTransactionPolicy();
        laterFaults.FailOn.Add(2);
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(laterFaults, HttpPipelinePosition.PerRetry);
        var storage = new ScimStorageOptions { TableName = StoreFixture.TableName };
        var laterStore = new ScimStore(new ScimDataTable(new TableServiceClient(TestStorage.ConnectionString, options), storage), storage);
        Exception? laterFailure = null;
        async Task RunLaterChangeCutAsync()
        {
            var current = (await laterStore.Groups.GetAsync(f.Directory, group.Id))!;
            laterFailure = await Record.ExceptionAsync(() => laterStore.Memberships.CommitAsync(f.Directory, current, laterPlan));
        }
        // Between the earlier change's first and second transactions, the later one starts, records itself and is cut.
        f.Faults.Interleave = () =>
        {
            f.Faults.Interleave = RunLaterChangeCutAsync;
            return Task.CompletedTask;
        };

        var earlier = await f.Store.Memberships.CommitAsync(f.Directory, (await f.Store.Groups.GetAsync(f.Directory, group.Id))!, earlierPlan);

        Assert.NotNull(laterFailure);
        Assert.Equal(Added, earlier.Added);
        Assert.Equal(Added + MembershipStore.MembersPerTransaction, (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).Count);
        // The earlier change removed its own record only: the cut one's is there for the sweep.
        Assert.NotEmpty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));

        Assert.Equal(1, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default, olderThan: TimeSpan.Zero));

        Assert.Equal(users.Order(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).Order());
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
        Assert.Equal(users.Order(), Ids(await MembershipChangeRowsAsync(f, group.Id), ChangeLog.AddedProperty).Order()); // each once
    }

    [Fact]
    public async Task A_record_kept_in_the_earlier_layout_without_a_write_key_is_still_finished_and_removed()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 2);
        var group = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Earlier layout" });
        var plan = new MembershipPlan(group.Id, users.ToDictionary(id => id, _ => (string?)null), [], [], null);
        var rows = PendingGroupChanges.Record(f.Partition, group.Id, group.LastModified, plan).Rows
            .Select((action, part) => new TableTransactionAction(action.ActionType,
                new TableEntity((TableEntity)action.Entity) { RowKey = $"{PartitionLayout.PendingChangePrefix}{group.Id}|{part:D2}" }));
        await f.RawTable.SubmitTransactionAsync(rows);

        Assert.Equal(1, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default, olderThan: TimeSpan.Zero));

        Assert.Equal(users.Order(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).Order());
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
    }

    [Fact]
    public async Task A_large_change_that_completes_leaves_no_record()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, Added);
        var group = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Done" });
        var current = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        var plan = await f.Store.Memberships.PlanAsync(f.Directory, group.Id, MembershipChange.Add(users));

        f.Counter.Reset();
        var result = await f.Store.Memberships.ReplaceGroupAsync(f.Directory, current, Replacement("Done", "ext-3"), plan);

        Assert.Equal(Added, result.Added);
        Assert.Equal(4, f.Counter.Transactions); // the document's (with the record), two of members, the record's removal
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
        var stored = (await f.Store.Groups.GetAsync(f.Directory, group.Id))!;
        Assert.Equal(stored.Version, result.Group!.Version);
    }

    [Fact]
    public async Task The_record_of_the_largest_change_a_request_can_name_fits_one_transaction()
    {
        var f = await StoreFixture.CreateAsync();
        var group = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Huge" });
        // A 1 MiB body names at most about 23,000 members.
        var plan = new MembershipPlan(group.Id, Enumerable.Range(0, 25_000).ToDictionary(_ => PartitionLayout.NewId(), _ => (string?)null), [], [], new Dictionary<string, string?>());

        var (_, rows) = PendingGroupChanges.Record(f.Partition, group.Id, group.LastModified, plan);

        Assert.True(rows.Count > 1, "the record did not need more than one row");
        Assert.All(rows, row => Assert.All(((TableEntity)row.Entity).Where(p => p.Key.StartsWith('P')), p => Assert.True(((string)p.Value).Length <= 30_000)));
        await f.RawTable.SubmitTransactionAsync(rows);
        Assert.Equal(rows.Count, (await f.RowKeysAsync(PartitionLayout.PendingChangePrefix)).Count);
    }

    [Fact]
    public async Task A_record_in_several_pieces_reads_back_whole_and_ids_no_longer_users_are_left_out()
    {
        var f = await StoreFixture.CreateAsync();
        var users = await CreateUsersAsync(f, 2);
        var group = await f.Store.Groups.CreateAsync(f.Directory, new JsonObject { ["displayName"] = "Pieces" });
        // 1,500 ids are more than one 30,000-character piece; none is a user (deleted since the request, say).
        var named = Enumerable.Range(0, 1_500).Select(_ => PartitionLayout.NewId()).Append(users[0]).Append(users[1]);
        var plan = new MembershipPlan(group.Id, named.ToDictionary(id => id, _ => (string?)null), [], [], new Dictionary<string, string?>());
        await f.RawTable.SubmitTransactionAsync(PendingGroupChanges.Record(f.Partition, group.Id, group.LastModified, plan).Rows);

        Assert.Equal(1, await f.Store.Memberships.PendingChanges.ResumeAsync(f.Directory, default, olderThan: TimeSpan.Zero));

        Assert.Equal(users.Order(), (await f.Store.Memberships.MemberIdsAsync(f.Directory, group.Id)).Order());
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.PendingChangePrefix));
    }
}
