using System.Buffers.Text;
using System.Text;
using Azure;

namespace ScimFunctions.Storage;

/// <summary>
/// <c>meta.version</c> and the HTTP <c>ETag</c> of a resource: the entity's ETag, wrapped as an opaque weak
/// entity tag (<c>W/"base64url"</c>) so the storage format never shows through and can be turned back into
/// the ETag that guards the write.
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

    /// <summary>Whether an If-Match value (one or several, comma-separated, or <c>*</c>) admits this ETag.</summary>
    public static bool Matches(string ifMatch, ETag current)
    {
        foreach (var candidate in ifMatch.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ToETag(candidate) is { } etag && (etag == ETag.All || etag == current)) return true;
        }
        return false;
    }
}
