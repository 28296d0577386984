using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using ScimFunctions.Directories;

namespace ScimFunctions.Portal;

/// <summary>
/// The secrets of portal links and sessions: <c>{owner}.{linkId}.{secret}</c>, where owner is the directory id
/// (or <c>-</c> for an operator link), the link id 32 lowercase hex digits, and the secret 43 base64url characters
/// (256 random bits). The owner and link id say which rows to read (one point read of the partition); only the
/// SHA-256 of the whole text is stored, so the rows never hold anything that opens the portal.
/// </summary>
public sealed record PortalCredential(string? DirectoryId, string LinkId, string Text)
{
    private const string OperatorOwner = "-";
    private const int SecretBytes = 32;
    private const int SecretLength = 43;
    public const int MaxLength = 64 + 1 + 32 + 1 + SecretLength;

    public static PortalCredential Mint(string? directoryId, string linkId) =>
        new(directoryId, linkId, $"{directoryId ?? OperatorOwner}.{linkId}.{Base64Url(RandomNumberGenerator.GetBytes(SecretBytes))}");

    public static string NewLinkId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool TryParse(string? text, [NotNullWhen(true)] out PortalCredential? credential)
    {
        credential = null;
        if (text is null || text.Length > MaxLength) return false;
        var parts = text.Split('.');
        if (parts.Length != 3) return false;
        var owner = parts[0] == OperatorOwner ? null : parts[0];
        if (owner is not null && !ScimDirectory.IsValidId(owner)) return false;
        if (!Storage.PartitionLayout.IsServerId(parts[1])) return false;
        if (parts[2].Length != SecretLength || !parts[2].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        credential = new PortalCredential(owner, parts[1], text);
        return true;
    }

    /// <summary>What the rows keep: SHA-256 of the credential, lowercase hex.</summary>
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>Compares a stored hash with this credential's in constant time.</summary>
    public bool Matches(string? storedHash) =>
        storedHash is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(Hash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public override string ToString() => $"PortalCredential({DirectoryId ?? OperatorOwner}, {LinkId})";
}
