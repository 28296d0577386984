using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

/// <summary>The email index: rows written with every user write, a look-up of bounded cost, and users stored before
/// the index found by a bounded scan until none is left.</summary>
public sealed class EmailLookupTests
{
    private static JsonObject User(string userName, params string[] emails) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
        ["emails"] = new JsonArray([.. emails.Select(e => (JsonNode)new JsonObject { ["value"] = e, ["type"] = "work" })]),
    };

    [Fact]
    public async Task Index_rows_follow_create_replace_patch_and_delete_in_the_users_own_transaction()
    {
        var f = await StoreFixture.CreateAsync();
        var user = await f.Store.Users.CreateAsync(f.Directory, User("ann@example.com", "Ann@Example.com", "ann.private@example.org", "ANN@example.com"));
        Assert.Equal(1, f.Counter.Transactions);
        Assert.Equal(2, (await f.RowKeysAsync(PartitionLayout.UserEmailPrefix)).Count); // case-insensitive: one row per address

        await f.Store.Users.ReplaceAsync(f.Directory, user.Id, User("ann@example.com", "ann.private@example.org", "ann.new@example.com"));
        Assert.Equal(
            [PartitionLayout.UserEmail(PartitionLayout.FoldedEmail("ann.new@example.com"), user.Id), PartitionLayout.UserEmail(PartitionLayout.FoldedEmail("ann.private@example.org"), user.Id)],
            (await f.RowKeysAsync(PartitionLayout.UserEmailPrefix)).Order(StringComparer.Ordinal));

        await f.Store.Users.UpdateAsync(f.Directory, user.Id, document => { document.Remove("emails"); return document; });
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.UserEmailPrefix));

        await f.Store.Users.ReplaceAsync(f.Directory, user.Id, User("ann@example.com", "ann@example.com"));
        await f.Store.Users.DeleteAsync(f.Directory, user.Id);
        Assert.Empty(await f.RowKeysAsync(PartitionLayout.UserEmailPrefix));
    }

    [Fact]
    public async Task Once_the_directory_is_known_indexed_a_look_up_costs_the_same_whatever_its_size()
    {
        var f = await StoreFixture.CreateAsync();
        for (var i = 0; i < 30; i++) await f.Store.Users.CreateAsync(f.Directory, User($"user{i}@example.com", $"user{i}@example.com"));
        f.Counter.Reset();

        var first = await f.Store.Users.FindByEmailAsync(f.Directory, "USER7@example.com", indexedFromStart: false);
        Assert.True(first.Complete);
        Assert.Equal("user7@example.com", Assert.Single(first.Users).Document["userName"]!.GetValue<string>());
        Assert.True(await f.RowExistsAsync(PartitionLayout.EmailIndexComplete)); // the scan found every user indexed
        f.Counter.Reset();

        var again = await f.Store.Users.FindByEmailAsync(f.Directory, "user8@EXAMPLE.com", indexedFromStart: false);

        Assert.Single(again.Users);
        Assert.Equal(3, f.Counter.Reads); // index range + marker (at once) + the one match
        Assert.Equal(0, f.Counter.Transactions + f.Counter.OtherWrites);
    }

    [Fact]
    public async Task In_a_directory_created_since_the_index_a_look_up_is_the_index_alone()
    {
        var f = await StoreFixture.CreateAsync();
        for (var i = 0; i < 5; i++) await f.Store.Users.CreateAsync(f.Directory, User($"new{i}@example.com", $"new{i}@example.com", "shared@example.com"));
        f.Counter.Reset();

        var one = await f.Store.Users.FindByEmailAsync(f.Directory, "NEW3@example.com", indexedFromStart: true);
        Assert.Equal(2, f.Counter.Total); // index range + the match
        Assert.True(one.Complete);
        Assert.Single(one.Users);
        Assert.Equal(5, (await f.Store.Users.FindByEmailAsync(f.Directory, "shared@example.com", indexedFromStart: true)).Users.Count);
        Assert.False(await f.RowExistsAsync(PartitionLayout.EmailIndexComplete));
    }

    [Fact]
    public async Task A_user_stored_before_the_index_is_found_by_the_scan_until_its_next_write_indexes_it()
    {
        var f = await StoreFixture.CreateAsync();
        var legacy = await f.Store.Users.CreateAsync(f.Directory, User("old@example.com", "old@example.com"));
        await MakeLegacyAsync(f, legacy.Id);

        var found = await f.Store.Users.FindByEmailAsync(f.Directory, "OLD@example.com", indexedFromStart: false);
        Assert.True(found.Complete);
        Assert.Equal(legacy.Id, Assert.Single(found.Users).Id);
        Assert.False(await f.RowExistsAsync(PartitionLayout.EmailIndexComplete));

        await f.Store.Users.UpdateAsync(f.Directory, legacy.Id, document => { document["displayName"] = "Old"; return document; });
        Assert.Single(await f.RowKeysAsync(PartitionLayout.UserEmailPrefix));
        Assert.Single((await f.Store.Users.FindByEmailAsync(f.Directory, "old@example.com", indexedFromStart: false)).Users);
        Assert.True(await f.RowExistsAsync(PartitionLayout.EmailIndexComplete));
    }

    [Fact]
    public async Task Too_many_users_stored_before_the_index_make_an_incomplete_answer_after_two_reads_never_a_longer_scan()
    {
        var f = await StoreFixture.CreateAsync();
        var template = await f.Store.Users.CreateAsync(f.Directory, User("template@example.com"));
        await MakeLegacyAsync(f, template.Id);
        var entity = (await f.RawTable.GetEntityAsync<TableEntity>(f.Partition, PartitionLayout.Document(ResourceKind.User, template.Id))).Value;
        var copies = Enumerable.Range(0, 2_100).Select(_ =>
        {
            var copy = new TableEntity(entity) { RowKey = PartitionLayout.Document(ResourceKind.User, PartitionLayout.NewId()) };
            return new TableTransactionAction(TableTransactionActionType.Add, copy);
        });
        foreach (var chunk in copies.Chunk(100)) await f.RawTable.SubmitTransactionAsync(chunk);
        f.Counter.Reset();

        var answer = await f.Store.Users.FindByEmailAsync(f.Directory, "someone@example.com", indexedFromStart: false);

        Assert.False(answer.Complete);
        Assert.Equal(2 + EmailLookup.MaxScanReads, f.Counter.Reads);
        Assert.False(await f.RowExistsAsync(PartitionLayout.EmailIndexComplete));
    }

    /// <summary>Makes the user look as a user stored before the email index: no rows, no IndexedEmails property.</summary>
    private static async Task MakeLegacyAsync(StoreFixture f, string userId)
    {
        var entity = (await f.RawTable.GetEntityAsync<TableEntity>(f.Partition, PartitionLayout.Document(ResourceKind.User, userId))).Value;
        entity.Remove("IndexedEmails");
        await f.RawTable.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Replace);
        await f.DeleteRowsAsync(PartitionLayout.UserEmailPrefix);
    }
}
