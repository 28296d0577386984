using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ScimFunctions.Roles;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Roles;

public sealed class RoleFanOutTests
{
    [Fact]
    [Trait("Category", "Scale")]
    public async Task A_mapping_change_on_a_10000_member_group_recomputes_all_of_them_in_chunks_within_the_queue_size_limit()
    {
        // A fresh table: the emulator's range reads slow down with every row of the table, not only this partition's.
        var w = await RoleWorld.CreateAsync(tableName: "RoleFanOut" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await MappingChangeOnA10000MemberGroupAsync(w);
        }
        finally
        {
            await w.Fixture.RawTable.DeleteAsync();
        }
    }

    private static async Task MappingChangeOnA10000MemberGroupAsync(RoleWorld w)
    {
        await w.DefineRolesAsync("engineer");
        var users = await InsertUsersAsync(w, 10_000);
        var group = await w.CreateGroupAsync("Everyone in engineering");
        await w.Store.Memberships.ApplyAsync(w.Directory, group, MembershipChange.Add(users));
        await DeleteRowsAsync(w, await w.OutboxAsync()); // so the mapping change is the only reason to recompute

        var mapping = await w.Roles.PutMappingAsync(w.Directory, GroupMatch.Id, group, ["engineer"], CancellationToken.None);
        Assert.Equal(group, mapping);
        Assert.True(await w.Fixture.RowExistsAsync(PartitionLayout.GroupOutbox(group)));
        await new QueueRoleRecomputeSignal(w.Queue).SignalGroupAsync(w.Directory, group, CancellationToken.None);

        var userMessages = 0;
        var fanOutMessages = 0;
        var settleMessages = 0;
        while (w.Queue.Pending.TryDequeue(out var message))
        {
            if (message.Scope == RecomputeScope.Users)
            {
                userMessages++;
                Assert.InRange(message.UserIds!.Count, 1, RoleRecomputeMessage.MaxUsersPerMessage);
            }
            else if (message.Since is null)
            {
                fanOutMessages++;
            }
            else
            {
                settleMessages++;
            }
            await w.Dispatcher.HandleAsync(message, CancellationToken.None);
        }

        // 10 pages of 1,000 members: 10 fan-out messages (the signal + 9 continuations), each page sent as ⌈1000/256⌉ = 4
        // user messages; then the settle pass, which names again only the members whose rows were written within its
        // bound before the change: on a slow machine that can be all of them (a page of 1,000 a message, 4 user messages each).
        // Its pass over the group's removals since the change is one message that names none (the change log holds no
        // removal), however many holders the role has: 10,000 here, all written since.
        Assert.Equal(10, fanOutMessages);
        Assert.InRange(settleMessages, 1 + 1, 11 + 1);
        Assert.InRange(userMessages, 40, 80);
        Assert.All(w.Queue.EncodedSizes, size => Assert.True(size < RoleRecomputeMessage.QueueMessageLimitBytes / 2, $"A message of {size} bytes."));
        var (holders, next) = await w.Roles.ListHoldersAsync(w.Directory, "engineer", null, 1000, CancellationToken.None);
        var all = new HashSet<string>(holders);
        while (next is not null)
        {
            (holders, next) = await w.Roles.ListHoldersAsync(w.Directory, "engineer", next, 1000, CancellationToken.None);
            all.UnionWith(holders);
        }
        Assert.Equal(users.ToHashSet(), all);
        Assert.Equal(["engineer"], await w.RolesOfAsync(users[^1]));
        Assert.False(await w.Fixture.RowExistsAsync(PartitionLayout.GroupOutbox(group)));
    }

    /// <summary>Setup only: user documents written 100 per transaction, without the index rows a SCIM create
    /// adds, so the 10,000-user partition is built in seconds (recompute reads only the document's Active).</summary>
    private static async Task<List<string>> InsertUsersAsync(RoleWorld w, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => PartitionLayout.NewId()).ToList();
        await Parallel.ForEachAsync(ids.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, token) =>
        {
            var actions = chunk.Select(id =>
            {
                var entity = new TableEntity(w.Fixture.Partition, ResourceKind.User.DocumentKey(id)) { ["Name"] = id, ["Display"] = id, [ResourceStore.ActiveProperty] = true };
                DocumentCodec.Write(entity, DocumentCodec.Serialize(new JsonObject { ["id"] = id, ["userName"] = id, ["active"] = true }));
                return new TableTransactionAction(TableTransactionActionType.Add, entity);
            });
            await w.Fixture.RawTable.SubmitTransactionAsync(actions, token);
        });
        return ids;
    }

    private static async Task DeleteRowsAsync(RoleWorld w, IEnumerable<string> rowKeys)
    {
        foreach (var chunk in rowKeys.Chunk(100))
        {
            await w.Fixture.RawTable.SubmitTransactionAsync(chunk.Select(key =>
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(w.Fixture.Partition, key), Azure.ETag.All)));
        }
    }

    [Fact]
    public void User_messages_are_chunked_to_256_ids_and_even_a_full_chunk_is_far_below_64_KiB_encoded()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => PartitionLayout.NewId()).ToList();
        var messages = RoleRecomputeMessage.ForUsers("a0123456789012345678901234567890123456789012345678901234567890", ids).ToList();

        Assert.Equal([256, 256, 256, 232], messages.Select(m => m.UserIds!.Count));
        Assert.Equal(ids, messages.SelectMany(m => m.UserIds!));
        var largest = messages.Max(m => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(m.Serialize())).Length);
        Assert.True(largest < RoleRecomputeMessage.QueueMessageLimitBytes / 4, $"{largest} bytes");
        var parsed = RoleRecomputeMessage.Parse(messages[0].Serialize());
        Assert.Equal(messages[0].UserIds, parsed.UserIds);
        Assert.Equal(RecomputeScope.Users, parsed.Scope);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("{\"directoryId\":\"d\",\"scope\":\"Bogus\"}")]
    public void Garbage_is_not_a_recompute_message(string body)
    {
        Assert.Throws<FormatException>(() => RoleRecomputeMessage.Parse(body));
    }
}
