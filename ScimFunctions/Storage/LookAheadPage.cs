namespace ScimFunctions.Storage;

/// <summary>
/// A page of at most <c>count</c> items of an ordered stream, and whether more follow: it reads one item past
/// the page (the look-ahead) instead of counting the rest, so a page costs the same at any depth.
/// </summary>
public static class LookAheadPage
{
    public static async Task<(List<T> Items, bool More)> TakeAsync<T>(IAsyncEnumerable<T> source, int count, Func<T, bool>? keep = null)
    {
        var items = new List<T>();
        if (count <= 0) return (items, false);
        await foreach (var item in source)
        {
            if (keep is not null && !keep(item)) continue;
            if (items.Count == count) return (items, true);
            items.Add(item);
        }
        return (items, false);
    }

    /// <summary>How many rows to ask storage for per page when every row is kept: the page and its look-ahead.</summary>
    public static int RowsToRead(int count) => Math.Min(1000, count + 1);
}
