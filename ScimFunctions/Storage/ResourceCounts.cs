namespace ScimFunctions.Storage;

/// <summary>How many users and groups a directory holds, as the counters kept with the writes say.</summary>
public sealed record ResourceCounts(long Users, long Groups)
{
    public static readonly ResourceCounts None = new(0, 0);
}
