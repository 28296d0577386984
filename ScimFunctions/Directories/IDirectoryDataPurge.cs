namespace ScimFunctions.Directories;

/// <summary>Data of a deleted directory kept outside its data partition (for example its request log), removed
/// by <see cref="DirectoryPurger"/> within the run's row budget; the directory is forgotten only once every
/// one of these reports it empty.</summary>
public interface IDirectoryDataPurge
{
    /// <summary>Deletes up to <paramref name="limit"/> rows of <paramref name="directoryId"/>; says how many, and whether none remain.</summary>
    Task<(int Removed, bool Empty)> PurgeAsync(string directoryId, int limit, CancellationToken cancellationToken);
}
