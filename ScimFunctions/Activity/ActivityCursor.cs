using System.Diagnostics.CodeAnalysis;
using System.Text;
using ScimFunctions.Storage;

namespace ScimFunctions.Activity;

/// <summary>
/// Where the next page of a directory's log starts: the keys of the last row returned. Opaque to clients
/// (base64url) and bound to its directory: a cursor of another directory, or one naming a partition outside this
/// directory's days, does not parse.
/// </summary>
public sealed record ActivityCursor(string PartitionKey, string RowKey)
{
    private const char Separator = '\n';

    public string Encode(string directoryId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(directoryId + Separator + PartitionKey + Separator + RowKey))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string directoryId, string? text, [NotNullWhen(true)] out ActivityCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 512) return false;
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split(Separator);
            if (parts.Length != 3 || parts[0] != directoryId || !PartitionLayout.IsActivityDayOf(directoryId, parts[1]) || parts[2].Length == 0) return false;
            cursor = new ActivityCursor(parts[1], parts[2]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
