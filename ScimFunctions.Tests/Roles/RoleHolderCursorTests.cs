using ScimFunctions.ChangeFeed;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Roles;

public sealed class RoleHolderCursorTests
{
    [Fact]
    public void A_holder_cursor_round_trips_only_for_its_directory_and_kind()
    {
        var id = PartitionLayout.NewId();
        var cursor = RoleHolderCursor.Encode("dir-a", id);

        Assert.Equal(id, RoleHolderCursor.Decode(cursor, "dir-a"));
        Assert.Null(RoleHolderCursor.Decode(cursor, "dir-b"));
        Assert.Null(RoleHolderCursor.Decode(id, "dir-a")); // a bare user id is no longer a cursor
        Assert.Null(RoleHolderCursor.Decode(ListCursor.Encode("dir-a", ResourceKind.User, id), "dir-a"));
        Assert.Null(ChangeFeedCursor.Decode(cursor, "dir-a"));
        Assert.Null(RoleHolderCursor.Decode(cursor[..^1] + (cursor[^1] == 'A' ? 'B' : 'A'), "dir-a"));
    }

    [Fact]
    public async Task Holders_page_in_id_order_through_their_cursor()
    {
        var w = await RoleWorld.CreateAsync();
        await w.DefineRolesAsync("viewer");
        await w.Roles.SetDefaultRoleAsync(w.Directory, "viewer", CancellationToken.None);
        var users = await w.CreateUsersAsync(5);
        await w.Recomputer.RecomputeAsync(w.Directory, users, CancellationToken.None);

        var seen = new List<string>();
        string? after = null;
        do
        {
            var (page, next) = await w.Roles.ListHoldersAsync(w.Directory, "viewer", after, 2, CancellationToken.None);
            seen.AddRange(page);
            after = next is null ? null : RoleHolderCursor.Decode(RoleHolderCursor.Encode(w.Directory, next), w.Directory);
            Assert.Equal(next, after);
        }
        while (after is not null);

        Assert.Equal(users.Order(StringComparer.Ordinal), seen);
    }
}
