using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScimFunctions.Webhooks;

/// <summary>
/// Standard Webhooks signing: <c>webhook-signature</c> is space-separated <c>v1,{base64 HMAC-SHA256}</c> entries,
/// one per signing secret, over <c>{webhook-id}.{webhook-timestamp}.{body}</c>; the timestamp is Unix seconds.
/// </summary>
public static class WebhookSigner
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string Sign(string messageId, string timestamp, string body, IEnumerable<byte[]> keys) =>
        string.Join(' ', keys.Select(key => "v1," + Convert.ToBase64String(
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}")))));
}
