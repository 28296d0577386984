using System.Text;
using ScimFunctions.Storage;

namespace ScimFunctions.ChangeFeed;

/// <summary>A change feed cursor: an <see cref="OpaqueCursor"/> of kind <see cref="CursorKind.Changes"/> whose
/// payload is the change-log position (a change key, or the floor of a time) the next page starts after.</summary>
public static class ChangeFeedCursor
{
    public static string Encode(string directoryId, string position) =>
        OpaqueCursor.Encode(directoryId, CursorKind.Changes, Encoding.UTF8.GetBytes(position));

    /// <summary>The position, or null if the cursor was not issued for this directory's change feed.</summary>
    public static string? Decode(string cursor, string directoryId)
    {
        if (OpaqueCursor.Decode(cursor, directoryId, CursorKind.Changes) is not { } payload) return null;
        string position;
        try
        {
            position = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        return PartitionLayout.IsChangePosition(position) ? position : null;
    }
}
