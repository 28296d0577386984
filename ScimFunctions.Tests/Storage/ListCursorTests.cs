using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

public sealed class ListCursorTests
{
    [Fact]
    public void Cursors_round_trip_only_for_their_directory_and_kind()
    {
        var id = PartitionLayout.NewId();
        var cursor = ListCursor.Encode("dir-a", ResourceKind.User, id);

        Assert.Equal(id, ListCursor.Decode(cursor, "dir-a", ResourceKind.User));
        Assert.Null(ListCursor.Decode(cursor, "dir-b", ResourceKind.User));
        Assert.Null(ListCursor.Decode(cursor, "dir-a", ResourceKind.Group));
        Assert.Null(ListCursor.Decode(cursor + "A", "dir-a", ResourceKind.User));
        Assert.Null(ListCursor.Decode("", "dir-a", ResourceKind.User));
    }
}
