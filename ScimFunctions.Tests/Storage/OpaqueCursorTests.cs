using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

public sealed class OpaqueCursorTests
{
    [Fact]
    public void A_cursor_round_trips_only_for_its_directory_and_kind()
    {
        byte[] payload = [1, 2, 3, 250];
        var cursor = OpaqueCursor.Encode("dir-a", CursorKind.Changes, payload);

        Assert.Equal(payload, OpaqueCursor.Decode(cursor, "dir-a", CursorKind.Changes));
        Assert.Null(OpaqueCursor.Decode(cursor, "dir-b", CursorKind.Changes));
        Assert.Null(OpaqueCursor.Decode(cursor, "dir-a", CursorKind.RoleHolders));
        Assert.Null(OpaqueCursor.Decode(cursor + "A", "dir-a", CursorKind.Changes));
        Assert.Null(OpaqueCursor.Decode(cursor[..^3], "dir-a", CursorKind.Changes));
        Assert.Null(OpaqueCursor.Decode("", "dir-a", CursorKind.Changes));
        Assert.Null(OpaqueCursor.Decode("%%%", "dir-a", CursorKind.Changes));
        Assert.Null(OpaqueCursor.Decode(new string('A', 400), "dir-a", CursorKind.Changes));
    }

    [Fact]
    public void Every_changed_byte_is_refused()
    {
        var bytes = Base64Url.DecodeFromChars(OpaqueCursor.Encode("dir-a", CursorKind.RoleHolders, new byte[16]));
        for (var i = 0; i < bytes.Length; i++)
        {
            var edited = (byte[])bytes.Clone();
            edited[i] ^= 0x01;
            Assert.Null(OpaqueCursor.Decode(Base64Url.EncodeToString(edited), "dir-a", CursorKind.RoleHolders));
        }
    }

    [Fact]
    public void List_cursors_keep_the_layout_of_cursors_already_issued()
    {
        // version 1 | 'u' | 16 id bytes | SHA-256("dir-a" 0 version kind id)[..8]
        var id = PartitionLayout.NewId();
        var signed = new byte[] { 1, (byte)'u' }.Concat(Convert.FromHexString(id)).ToArray();
        var check = SHA256.HashData([.. Encoding.UTF8.GetBytes("dir-a"), 0, .. signed])[..8];
        var issuedBefore = Base64Url.EncodeToString([.. signed, .. check]);

        Assert.Equal(issuedBefore, ListCursor.Encode("dir-a", ResourceKind.User, id));
        Assert.Equal(id, ListCursor.Decode(issuedBefore, "dir-a", ResourceKind.User));
    }

    [Fact]
    public void A_signed_change_cursor_must_still_hold_a_change_position()
    {
        var position = PartitionLayout.ChangeFloor(DateTimeOffset.UnixEpoch.AddYears(56));
        Assert.Equal(position, ChangeFeedCursor.Decode(ChangeFeedCursor.Encode("dir-a", position), "dir-a"));
        var change = PartitionLayout.Change(DateTimeOffset.UnixEpoch.AddYears(56));
        Assert.Equal(change, ChangeFeedCursor.Decode(ChangeFeedCursor.Encode("dir-a", change), "dir-a"));

        foreach (var forged in new[] { "user|" + PartitionLayout.NewId(), PartitionLayout.ChangePrefix + "12", position + "|XYZ", position + "|" })
        {
            Assert.Null(ChangeFeedCursor.Decode(OpaqueCursor.Encode("dir-a", CursorKind.Changes, Encoding.UTF8.GetBytes(forged)), "dir-a"));
        }
        Assert.Null(ChangeFeedCursor.Decode(OpaqueCursor.Encode("dir-a", CursorKind.Changes, [0xff, 0xfe]), "dir-a"));
    }
}
