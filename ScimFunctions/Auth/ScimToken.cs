using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace ScimFunctions.Auth;

/// <summary>
/// Bearer token format: <c>scimf_{tokenId}_{secret}</c>, where the token id is 32 lowercase hex characters
/// (128 random bits, used to find the stored hash) and the secret is 43 base64url characters (256 random
/// bits). The fixed prefix and shape let secret scanners recognise a leaked token.
/// </summary>
public static class ScimToken
{
    public const string Prefix = "scimf_";
    public const int TokenIdLength = 32;
    private const int SecretBytes = 32;
    private const int SecretLength = 43;
    public const int Length = 6 + TokenIdLength + 1 + SecretLength;

    /// <summary>A new token and its id. The caller hands the token out once and keeps only its hash.</summary>
    public static (string TokenId, string Token) Mint()
    {
        var tokenId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenIdLength / 2));
        var secret = Base64UrlEncode(RandomNumberGenerator.GetBytes(SecretBytes));
        return (tokenId, Prefix + tokenId + "_" + secret);
    }

    /// <summary>Reads the token id out of a presented token; false when the shape is wrong.</summary>
    public static bool TryParseTokenId(string? token, [NotNullWhen(true)] out string? tokenId)
    {
        tokenId = null;
        if (token is null || token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var id = token.AsSpan(Prefix.Length, TokenIdLength);
        if (!IsTokenId(id)) return false;
        if (token[Prefix.Length + TokenIdLength] != '_') return false;
        foreach (var c in token.AsSpan(Prefix.Length + TokenIdLength + 1))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')) return false;
        }
        tokenId = id.ToString();
        return true;
    }

    public static bool IsTokenId(ReadOnlySpan<char> value)
    {
        if (value.Length != TokenIdLength) return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')) return false;
        }
        return true;
    }

    /// <summary>SHA-256 of the token's UTF-8 bytes: what the hash store keeps.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
