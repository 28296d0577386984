using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Storage;

public sealed class DirectoryCountsTests
{
    private static JsonObject User(string userName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
    };

    private static JsonObject Group(string displayName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
        ["displayName"] = displayName,
    };

    /// <summary>Another instance of the app: its own store (so its own count shards) over the same table.</summary>
    private static ScimStore Instance(StoreFixture f) =>
        new(new ScimDataTable(f.Service, new ScimStorageOptions { TableName = StoreFixture.TableName }), new ScimStorageOptions { TableName = StoreFixture.TableName });

    private static DirectoryCounts Counts(StoreFixture f) => new(new ScimDataTable(f.Service, new ScimStorageOptions { TableName = StoreFixture.TableName }));

    [Fact]
    public async Task Creates_and_deletes_from_eight_clients_on_two_instances_leave_exact_counts()
    {
        var f = await StoreFixture.CreateAsync();
        ScimStore[] instances = [f.Store, Instance(f)];
        var survivors = new System.Collections.Concurrent.ConcurrentBag<string>();
        await f.Store.Users.CreateAsync(f.Directory, User("taken@example.test"));

        // 8 clients, 4 per instance; each creates 12 users and 3 groups, deletes every third user, and also
        // tries a name already taken (refused: no count moves) and a delete of a missing user.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            var store = instances[client % 2];
            for (var i = 0; i < 12; i++)
            {
                var user = await store.Users.CreateAsync(f.Directory, User($"c{client}u{i}@example.test"));
                if (i % 3 == 0) await store.Users.DeleteAsync(f.Directory, user.Id);
                else survivors.Add(user.Id);
                if (i < 3) await store.Groups.CreateAsync(f.Directory, Group($"c{client}g{i}"));
                await Assert.ThrowsAsync<UniquenessConflictException>(() => store.Users.CreateAsync(f.Directory, User("TAKEN@example.test")));
                await Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Users.DeleteAsync(f.Directory, PartitionLayout.NewId()));
            }
        })));

        var counts = await Counts(f).ReadAsync(f.Directory);
        Assert.Equal(8 * 8, survivors.Count);
        Assert.Equal(new ResourceCounts(65, 24), counts);
        Assert.Equal(65, (await f.RowKeysAsync(PartitionLayout.UserPrefix)).Count);
        Assert.Equal(24, (await f.RowKeysAsync(PartitionLayout.GroupPrefix)).Count);
    }

    [Fact]
    public async Task The_count_rides_in_the_write_transaction_and_a_read_is_one_query()
    {
        var f = await StoreFixture.CreateAsync();
        var first = await f.Store.Users.CreateAsync(f.Directory, User("first@example.test"));
        f.Counter.Reset();

        var second = await f.Store.Users.CreateAsync(f.Directory, User("second@example.test"));
        await f.Store.Users.DeleteAsync(f.Directory, first.Id);
        // Create: 1 T. Delete: read, transaction, membership cleanup read, marker removal. None for the counts.
        Assert.Equal((2, 2, 1), (f.Counter.Transactions, f.Counter.Reads, f.Counter.OtherWrites));
        f.Counter.Reset();

        Assert.Equal(new ResourceCounts(1, 0), await Counts(f).ReadAsync(f.Directory));
        Assert.Equal(1, f.Counter.Reads);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task A_refused_write_and_a_delete_of_a_missing_user_change_no_count()
    {
        var f = await StoreFixture.CreateAsync();
        await f.Store.Users.CreateAsync(f.Directory, User("taken@example.test"));
        var before = await Counts(f).ReadAsync(f.Directory);

        await Assert.ThrowsAsync<UniquenessConflictException>(() => f.Store.Users.CreateAsync(f.Directory, User("TAKEN@example.test")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Store.Users.DeleteAsync(f.Directory, PartitionLayout.NewId()));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Store.Groups.DeleteAsync(f.Directory, "not-an-id"));

        Assert.Equal(new ResourceCounts(1, 0), before);
        Assert.Equal(before, await Counts(f).ReadAsync(f.Directory));
        // The next accepted write still counts from the right value.
        await f.Store.Users.CreateAsync(f.Directory, User("next@example.test"));
        Assert.Equal(new ResourceCounts(2, 0), await Counts(f).ReadAsync(f.Directory));
    }

    [Fact]
    public async Task Counts_survive_a_restart_and_the_new_instance_counts_on()
    {
        var f = await StoreFixture.CreateAsync();
        var user = await f.Store.Users.CreateAsync(f.Directory, User("a@example.test"));
        await f.Store.Groups.CreateAsync(f.Directory, Group("Admins"));

        var restarted = Instance(f);
        Assert.Equal(new ResourceCounts(1, 1), await Counts(f).ReadAsync(f.Directory));
        await restarted.Users.CreateAsync(f.Directory, User("b@example.test"));
        await restarted.Users.DeleteAsync(f.Directory, user.Id);
        await restarted.Groups.CreateAsync(f.Directory, Group("Staff"));

        Assert.Equal(new ResourceCounts(1, 2), await Counts(f).ReadAsync(f.Directory));
    }

    [Fact]
    public async Task A_write_whose_answer_was_lost_rereads_its_shard_and_counts_exactly_once()
    {
        var lost = new LostAnswerPolicy();
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(lost, HttpPipelinePosition.PerRetry);
        var storage = new ScimStorageOptions { TableName = StoreFixture.TableName };
        var store = new ScimStore(new ScimDataTable(new TableServiceClient(TestStorage.ConnectionString, options), storage), storage);
        await store.EnsureTableAsync();
        var f = await StoreFixture.CreateAsync();
        await store.Users.CreateAsync(f.Directory, User("one@example.test"));

        // The create commits but its answer never arrives: the instance cannot know whether its count moved.
        lost.LoseNextAnswer = true;
        await Assert.ThrowsAsync<IOException>(() => store.Users.CreateAsync(f.Directory, User("two@example.test")));
        await store.Users.CreateAsync(f.Directory, User("three@example.test"));

        Assert.Equal(new ResourceCounts(3, 0), await Counts(f).ReadAsync(f.Directory));
        Assert.Equal(3, (await f.RowKeysAsync(PartitionLayout.UserPrefix)).Count);
    }

    /// <summary>Lets the next transaction commit, then throws as if the connection dropped before the answer.</summary>
    private sealed class LostAnswerPolicy : HttpPipelinePolicy
    {
        public bool LoseNextAnswer { get; set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (LoseNextAnswer && message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                LoseNextAnswer = false;
                throw new IOException("The response ended prematurely.");
            }
        }
    }
}
