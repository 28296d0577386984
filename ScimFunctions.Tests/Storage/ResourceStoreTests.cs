using System.Text.Json.Nodes;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

public sealed class ResourceStoreTests
{
    private static JsonObject User(string userName, string? externalId = null, string? displayName = null)
    {
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["active"] = true,
        };
        if (externalId is not null) user["externalId"] = externalId;
        if (displayName is not null) user["displayName"] = displayName;
        return user;
    }

    [Fact]
    public async Task Create_is_one_transaction_and_get_by_id_is_one_read()
    {
        var f = await StoreFixture.CreateAsync();
        var input = User("alice@example.com", "ext-1");
        input["id"] = "client-chosen";
        input["groups"] = new JsonArray(new JsonObject { ["value"] = "x" });

        var created = await f.Store.Users.CreateAsync(f.Directory, input);

        Assert.Equal((1, 0, 0), (f.Counter.Transactions, f.Counter.Reads, f.Counter.OtherWrites));
        Assert.True(PartitionLayout.IsServerId(created.Id));
        Assert.Null(created.Document["groups"]);
        f.Counter.Reset();

        var read = await f.Store.Users.GetAsync(f.Directory, created.Id);

        Assert.Equal(1, f.Counter.Total);
        Assert.NotNull(read);
        Assert.Equal(created.Id, read.Document["id"]!.GetValue<string>());
        Assert.Equal("alice@example.com", read.Document["userName"]!.GetValue<string>());
        Assert.Equal("User", read.Document["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal(created.Version, read.Version);
        Assert.Equal(created.Version, read.Document["meta"]!["version"]!.GetValue<string>());
        Assert.StartsWith("W/\"", read.Version);
        Assert.Equal(created.Document["meta"]!["created"]!.GetValue<string>(), read.Document["meta"]!["created"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_of_unknown_or_malformed_id_is_null()
    {
        var f = await StoreFixture.CreateAsync();
        Assert.Null(await f.Store.Users.GetAsync(f.Directory, PartitionLayout.NewId()));
        Assert.Null(await f.Store.Users.GetAsync(f.Directory, "../../etc"));
        Assert.Equal(1, f.Counter.Total); // the malformed id costs no round trip
    }

    [Fact]
    public async Task UserName_is_unique_case_insensitively_and_a_clash_writes_nothing()
    {
        var f = await StoreFixture.CreateAsync();
        var first = await f.Store.Users.CreateAsync(f.Directory, User("Bob@Example.com"));
        var rowsBefore = await f.AllRowKeysAsync();

        var clash = await Assert.ThrowsAsync<UniquenessConflictException>(
            () => f.Store.Users.CreateAsync(f.Directory, User("bob@example.COM", "ext-2")));

        Assert.Equal("userName", clash.Attribute);
        Assert.Equal((409, "uniqueness"), (clash.Status, clash.ScimType));
        Assert.Equal(rowsBefore, await f.AllRowKeysAsync());
        Assert.Equal(first.Id, (await f.Store.Users.FindByUniqueNameAsync(f.Directory, "BOB@EXAMPLE.COM"))!.Id);
    }

    [Fact]
    public async Task Find_by_userName_takes_at_most_two_reads_and_by_externalId_is_case_exact()
    {
        var f = await StoreFixture.CreateAsync();
        var carol = await f.Store.Users.CreateAsync(f.Directory, User("carol", "Ext-C"));
        f.Counter.Reset();

        var byName = await f.Store.Users.FindByUniqueNameAsync(f.Directory, "CAROL");
        Assert.Equal(carol.Id, byName!.Id);
        Assert.Equal(2, f.Counter.Reads);

        f.Counter.Reset();
        Assert.Null(await f.Store.Users.FindByUniqueNameAsync(f.Directory, "nobody"));
        Assert.Equal(1, f.Counter.Reads);

        Assert.Equal([carol.Id], (await f.Store.Users.FindByExternalIdAsync(f.Directory, "Ext-C")).Select(u => u.Id));
        Assert.Empty(await f.Store.Users.FindByExternalIdAsync(f.Directory, "ext-c"));
    }

    [Theory]
    [InlineData("a/b\\c#d?e")]
    [InlineData("pipe|and%percent~tilde")]
    [InlineData("tab\there\u0001\u007f\u0085")]
    [InlineData("' or true or '")]
    [InlineData("\ud83d\ude00 emoji and lone \ud800 surrogate")]
    public async Task Any_client_value_is_stored_and_found_through_its_key(string value)
    {
        var f = await StoreFixture.CreateAsync();
        var created = await f.Store.Users.CreateAsync(f.Directory, User(value, value));

        Assert.Equal(created.Id, (await f.Store.Users.FindByUniqueNameAsync(f.Directory, value))!.Id);
        Assert.Equal([created.Id], (await f.Store.Users.FindByExternalIdAsync(f.Directory, value)).Select(u => u.Id));
        Assert.Equal(value, (await f.Store.Users.GetAsync(f.Directory, created.Id))!.Document["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Very_long_userNames_stay_unique()
    {
        var f = await StoreFixture.CreateAsync();
        var common = new string('x', 900);
        var first = await f.Store.Users.CreateAsync(f.Directory, User(common + "1"));
        var second = await f.Store.Users.CreateAsync(f.Directory, User(common + "2"));

        Assert.Equal(first.Id, (await f.Store.Users.FindByUniqueNameAsync(f.Directory, common + "1"))!.Id);
        Assert.Equal(second.Id, (await f.Store.Users.FindByUniqueNameAsync(f.Directory, common + "2"))!.Id);
        await Assert.ThrowsAsync<UniquenessConflictException>(() => f.Store.Users.CreateAsync(f.Directory, User(common.ToUpperInvariant() + "1")));
    }

    [Fact]
    public async Task Externally_crafted_values_never_widen_a_query()
    {
        var f = await StoreFixture.CreateAsync();
        await f.Store.Users.CreateAsync(f.Directory, User("victim", "secret-ext"));

        Assert.Empty(await f.Store.Users.FindByExternalIdAsync(f.Directory, "' or true or '"));
        Assert.Empty(await f.Store.Users.FindByExternalIdAsync(f.Directory, "x' or RowKey ne '"));
        Assert.Null(await f.Store.Users.FindByUniqueNameAsync(f.Directory, "' or true or '"));
        var hostile = f.Directory + "' or PartitionKey ne '";
        Assert.Equal(0, (await f.Store.Users.ListAsync(hostile, new ResourceQuery())).TotalResults);
    }

    [Fact]
    public async Task One_directory_never_sees_another()
    {
        var f = await StoreFixture.CreateAsync();
        var user = await f.Store.Users.CreateAsync(f.Directory, User("shared-name", "shared-ext"));
        var other = ScimFunctions.Tests.TestSupport.TestStorage.NewDirectoryId();

        Assert.Null(await f.Store.Users.GetAsync(other, user.Id));
        Assert.Null(await f.Store.Users.FindByUniqueNameAsync(other, "shared-name"));
        Assert.Empty(await f.Store.Users.FindByExternalIdAsync(other, "shared-ext"));
        Assert.Equal(0, (await f.Store.Users.ListAsync(other, new ResourceQuery())).TotalResults);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Store.Users.DeleteAsync(other, user.Id));
        var sameNameElsewhere = await f.Store.Users.CreateAsync(other, User("shared-name"));
        Assert.NotEqual(user.Id, sameNameElsewhere.Id);
    }

    [Fact]
    public async Task Replace_moves_index_rows_atomically_and_changes_the_version()
    {
        var f = await StoreFixture.CreateAsync();
        var dave = await f.Store.Users.CreateAsync(f.Directory, User("dave", "ext-d"));
        f.Counter.Reset();

        var replaced = await f.Store.Users.ReplaceAsync(f.Directory, dave.Id, User("david", "ext-david"), dave.Version);

        // Read + write; the display (userName here) changed, so one more read finds memberships to refresh (none).
        Assert.Equal((2, 1), (f.Counter.Reads, f.Counter.Transactions));
        Assert.NotEqual(dave.Version, replaced.Version);
        Assert.Null(replaced.Document["displayName"]);
        Assert.Null(await f.Store.Users.FindByUniqueNameAsync(f.Directory, "dave"));
        Assert.Equal(dave.Id, (await f.Store.Users.FindByUniqueNameAsync(f.Directory, "DAVID"))!.Id);
        Assert.Empty(await f.Store.Users.FindByExternalIdAsync(f.Directory, "ext-d"));
        Assert.Single(await f.Store.Users.FindByExternalIdAsync(f.Directory, "ext-david"));
        Assert.Equal(dave.Created, replaced.Created);
        Assert.True(replaced.LastModified >= dave.LastModified);
        // The old name is free again.
        await f.Store.Users.CreateAsync(f.Directory, User("dave"));
    }

    [Fact]
    public async Task Replace_that_keeps_the_display_is_one_read_and_one_transaction()
    {
        var f = await StoreFixture.CreateAsync();
        var user = await f.Store.Users.CreateAsync(f.Directory, User("olivia", displayName: "Olivia"));
        f.Counter.Reset();

        var replaced = await f.Store.Users.ReplaceAsync(f.Directory, user.Id, User("olivia", "ext-o", "Olivia"), user.Version);

        Assert.Equal((1, 1, 0), (f.Counter.Reads, f.Counter.Transactions, f.Counter.OtherWrites));
        Assert.Equal("ext-o", replaced.Document["externalId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stale_version_or_a_taken_name_changes_nothing()
    {
        var f = await StoreFixture.CreateAsync();
        var erin = await f.Store.Users.CreateAsync(f.Directory, User("erin"));
        await f.Store.Users.CreateAsync(f.Directory, User("frank"));
        var current = await f.Store.Users.ReplaceAsync(f.Directory, erin.Id, User("erin", displayName: "Erin"));
        var rowsBefore = await f.AllRowKeysAsync();

        var stale = await Assert.ThrowsAsync<VersionMismatchException>(
            () => f.Store.Users.ReplaceAsync(f.Directory, erin.Id, User("erin2"), erin.Version));
        Assert.Equal(412, stale.Status);
        await Assert.ThrowsAsync<VersionMismatchException>(
            () => f.Store.Users.ReplaceAsync(f.Directory, erin.Id, User("erin2"), "W/\"garbage\""));
        await Assert.ThrowsAsync<UniquenessConflictException>(
            () => f.Store.Users.ReplaceAsync(f.Directory, erin.Id, User("FRANK"), current.Version));

        Assert.Equal(rowsBefore, await f.AllRowKeysAsync());
        var after = await f.Store.Users.GetAsync(f.Directory, erin.Id);
        Assert.Equal(current.Version, after!.Version);
        Assert.Equal("Erin", after.Document["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parallel_updates_without_if_match_are_all_kept()
    {
        var f = await StoreFixture.CreateAsync();
        var user = await f.Store.Users.CreateAsync(f.Directory, User("grace"));

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => f.Store.Users.UpdateAsync(f.Directory, user.Id, doc =>
        {
            doc["tags"] ??= new JsonArray();
            doc["tags"]!.AsArray().Add(i);
            return doc;
        })));

        var tags = (await f.Store.Users.GetAsync(f.Directory, user.Id))!.Document["tags"]!.AsArray().Select(t => t!.GetValue<int>());
        Assert.Equal(Enumerable.Range(0, 6), tags.Order());
    }

    [Fact]
    public async Task Missing_userName_or_non_string_externalId_is_invalid_and_writes_nothing()
    {
        var f = await StoreFixture.CreateAsync();
        var noName = await Assert.ThrowsAsync<InvalidStoreValueException>(() => f.Store.Users.CreateAsync(f.Directory, new JsonObject { ["active"] = true }));
        Assert.Equal((400, "invalidValue"), (noName.Status, noName.ScimType));
        var badExternal = User("heidi");
        badExternal["externalId"] = 42;
        await Assert.ThrowsAsync<InvalidStoreValueException>(() => f.Store.Users.CreateAsync(f.Directory, badExternal));
        Assert.Empty(await f.AllRowKeysAsync());
        Assert.Equal(0, f.Counter.Total);
    }

    [Fact]
    public async Task Large_documents_are_split_and_read_back_whole_and_too_large_ones_are_refused()
    {
        var f = await StoreFixture.CreateAsync();
        var big = User("ivan");
        big["notes"] = new string('é', 300_000); // 600,000 UTF-8 bytes: ten 64 KiB parts
        var created = await f.Store.Users.CreateAsync(f.Directory, big);
        var read = await f.Store.Users.GetAsync(f.Directory, created.Id);
        Assert.Equal(big["notes"]!.GetValue<string>(), read!.Document["notes"]!.GetValue<string>());

        var nearLimit = User("judy");
        nearLimit["notes"] = new string('a', DocumentCodec.MaxDocumentBytes - 200);
        var nearLimitCreated = await f.Store.Users.CreateAsync(f.Directory, nearLimit);
        Assert.Equal(nearLimit["notes"]!.GetValue<string>(), (await f.Store.Users.GetAsync(f.Directory, nearLimitCreated.Id))!.Document["notes"]!.GetValue<string>());

        var tooBig = User("mallory");
        tooBig["notes"] = new string('a', DocumentCodec.MaxDocumentBytes);
        var refused = await Assert.ThrowsAsync<DocumentTooLargeException>(() => f.Store.Users.CreateAsync(f.Directory, tooBig));
        Assert.Equal(413, refused.Status);
        Assert.Null(await f.Store.Users.FindByUniqueNameAsync(f.Directory, "mallory"));
        await Assert.ThrowsAsync<DocumentTooLargeException>(() => f.Store.Users.ReplaceAsync(f.Directory, created.Id, tooBig));
        Assert.Equal("ivan", (await f.Store.Users.GetAsync(f.Directory, created.Id))!.Document["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fifty_parallel_creates_of_one_userName_let_exactly_one_win()
    {
        var f = await StoreFixture.CreateAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            try
            {
                await f.Store.Users.CreateAsync(f.Directory, User(i % 2 == 0 ? "race@example.com" : "RACE@example.com"));
                return "created";
            }
            catch (UniquenessConflictException)
            {
                return "conflict";
            }
        }));

        Assert.Equal(1, outcomes.Count(o => o == "created"));
        Assert.Equal(49, outcomes.Count(o => o == "conflict"));
        Assert.Single(await f.RowKeysAsync(PartitionLayout.UserPrefix));
        Assert.Single(await f.RowKeysAsync(PartitionLayout.UserNamePrefix));
    }

    [Fact]
    public async Task Delete_removes_document_and_index_rows_and_records_the_outbox()
    {
        var f = await StoreFixture.CreateAsync();
        var user = await f.Store.Users.CreateAsync(f.Directory, User("kim", "ext-k"));
        await Assert.ThrowsAsync<VersionMismatchException>(() => f.Store.Users.DeleteAsync(f.Directory, user.Id, "W/\"bm90LWl0\""));
        Assert.NotNull(await f.Store.Users.GetAsync(f.Directory, user.Id));

        await f.Store.Users.DeleteAsync(f.Directory, user.Id, user.Version);

        Assert.Null(await f.Store.Users.GetAsync(f.Directory, user.Id));
        Assert.Equal([PartitionLayout.Outbox(user.Id)], await f.AllRowKeysAsync());
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Store.Users.DeleteAsync(f.Directory, user.Id));
        await f.Store.Users.CreateAsync(f.Directory, User("kim", "ext-k"));
    }
}
