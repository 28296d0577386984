using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ScimFunctions.Storage;

/// <summary>
/// RFC 9865 cursors: the id of the last resource returned, bound to the directory and resource type by a
/// truncated SHA-256, base64url-encoded. Opaque to clients; garbage, edited cursors and cursors from another
/// directory or resource type fail to decode (there is no secret, so a determined client could forge a
/// cursor, but it could only start a listing of its own directory at another id). The decoded id is
/// checked to be a server id before it becomes part of a key range.
/// </summary>
public static class ListCursor
{
    private const byte FormatVersion = 1;
    private const int IdBytes = 16;
    private const int CheckBytes = 8;

    public static string Encode(string directoryId, ResourceKind kind, string lastId)
    {
        var bytes = new byte[2 + IdBytes + CheckBytes];
        bytes[0] = FormatVersion;
        bytes[1] = (byte)kind.Code;
        Convert.FromHexString(lastId).CopyTo(bytes, 2);
        Check(directoryId, bytes.AsSpan(0, 2 + IdBytes)).CopyTo(bytes, 2 + IdBytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The id after which the next page starts, or null if the cursor is not valid here.</summary>
    public static string? Decode(string cursor, string directoryId, ResourceKind kind)
    {
        if (cursor.Length > 64) return null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length != 2 + IdBytes + CheckBytes || bytes[0] != FormatVersion || bytes[1] != (byte)kind.Code) return null;
        var expected = Check(directoryId, bytes.AsSpan(0, 2 + IdBytes));
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(2 + IdBytes))) return null;
        return Convert.ToHexStringLower(bytes, 2, IdBytes);
    }

    private static byte[] Check(string directoryId, ReadOnlySpan<byte> payload)
    {
        var directory = Encoding.UTF8.GetBytes(directoryId);
        var input = new byte[directory.Length + 1 + payload.Length];
        directory.CopyTo(input, 0);
        input[directory.Length] = 0;
        payload.CopyTo(input.AsSpan(directory.Length + 1));
        return SHA256.HashData(input)[..CheckBytes];
    }
}
