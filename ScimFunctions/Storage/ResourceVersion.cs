using System.Buffers.Text;
using System.Text;
using Azure;

namespace ScimFunctions.Storage;

/// <summary>
/// <c>meta.version</c> and the HTTP <c>ETag</c> of a resource: the entity's ETag, wrapped as an opaque weak
/// entity tag (<c>W/"base64url"</c>) so the storage format never shows through and can be turned back into
/// the ETag that guards the write. Also the one comparison of <c>If-Match</c> / <c>If-None-Match</c> values
/// with a version.
/// </summary>
public static class ResourceVersion
{
    public static string FromETag(ETag etag) =>
        "W/\"" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(etag.ToString())) + "\"";

    /// <summary>The storage ETag a version stands for; <c>*</c> means any; null if the text is not one of ours.</summary>
    public static ETag? ToETag(string version)
    {
        var text = version.Trim();
        if (text == "*") return ETag.All;
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return null;
        try
        {
            return new ETag(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text.AsSpan(1, text.Length - 2))));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether a header value (one entity tag or several, comma-separated, or <c>*</c>) names this
    /// version, by weak comparison (RFC 9110 §8.8.3.2: the <c>W/</c> prefix is ignored).</summary>
    public static bool Matches(string headerValue, string version)
    {
        var current = Opaque(version);
        foreach (var candidate in headerValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (candidate == "*" || Opaque(candidate) == current) return true;
        }
        return false;
    }

    private static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
}
