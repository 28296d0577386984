using System.Security.Cryptography;

namespace ScimFunctions.Webhooks;

/// <summary>A signing secret in the Standard Webhooks format: <c>whsec_</c> and the base64 of the key bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>32 random bytes (the spec asks for 24 to 64).</summary>
    public const int KeyBytes = 32;

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The HMAC key: the bytes after the prefix.</summary>
    /// <exception cref="FormatException">not a <c>whsec_</c> secret</exception>
    public static byte[] KeyOf(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) throw new FormatException("Not a whsec_ secret.");
        return Convert.FromBase64String(secret[Prefix.Length..]);
    }
}
