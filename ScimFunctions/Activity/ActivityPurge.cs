using ScimFunctions.Directories;

namespace ScimFunctions.Activity;

/// <summary>A deleted directory's request log and connection status, removed by the directory purge.</summary>
public sealed class ActivityPurge(ActivityStore store) : IDirectoryDataPurge
{
    public Task<(int Removed, bool Empty)> PurgeAsync(string directoryId, int limit, CancellationToken cancellationToken) =>
        store.DeleteDirectoryAsync(directoryId, limit, cancellationToken);
}
