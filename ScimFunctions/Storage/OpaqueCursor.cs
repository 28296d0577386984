using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ScimFunctions.Storage;

/// <summary>
/// The one cursor format of the service: <c>version | kind | payload | check</c>, base64url-encoded, where
/// <c>check</c> is a truncated SHA-256 of the directory id and everything before it. Opaque to clients:
/// garbage, edited cursors and cursors of another directory or kind fail to decode. There is no secret, so a
/// determined client could forge one, but only to start a read of its own directory elsewhere; callers
/// validate the payload before it becomes part of a key range.
/// </summary>
public static class OpaqueCursor
{
    private const byte FormatVersion = 1;
    private const int HeaderBytes = 2;
    private const int CheckBytes = 8;

    /// <summary>Longest payload a cursor carries, so a decoder never works on an unbounded input.</summary>
    public const int MaxPayloadBytes = 96;

    public static string Encode(string directoryId, CursorKind kind, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes) throw new ArgumentException($"A cursor payload is at most {MaxPayloadBytes} bytes.", nameof(payload));
        var bytes = new byte[HeaderBytes + payload.Length + CheckBytes];
        bytes[0] = FormatVersion;
        bytes[1] = (byte)kind;
        payload.CopyTo(bytes.AsSpan(HeaderBytes));
        Check(directoryId, bytes.AsSpan(0, HeaderBytes + payload.Length)).CopyTo(bytes, HeaderBytes + payload.Length);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The payload, or null if the cursor was not issued for this directory and kind.</summary>
    public static byte[]? Decode(string cursor, string directoryId, CursorKind kind)
    {
        if (cursor.Length == 0 || cursor.Length > Base64Url.GetEncodedLength(HeaderBytes + MaxPayloadBytes + CheckBytes)) return null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length < HeaderBytes + CheckBytes || bytes[0] != FormatVersion || bytes[1] != (byte)kind) return null;
        var signed = bytes.AsSpan(0, bytes.Length - CheckBytes);
        if (!CryptographicOperations.FixedTimeEquals(Check(directoryId, signed), bytes.AsSpan(bytes.Length - CheckBytes))) return null;
        return signed[HeaderBytes..].ToArray();
    }

    private static byte[] Check(string directoryId, ReadOnlySpan<byte> signed)
    {
        var directory = Encoding.UTF8.GetBytes(directoryId);
        var input = new byte[directory.Length + 1 + signed.Length];
        directory.CopyTo(input, 0);
        input[directory.Length] = 0;
        signed.CopyTo(input.AsSpan(directory.Length + 1));
        return SHA256.HashData(input)[..CheckBytes];
    }
}
