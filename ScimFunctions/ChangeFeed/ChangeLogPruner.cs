using Microsoft.Extensions.Logging;
using ScimFunctions.Directories;
using ScimFunctions.Storage;

namespace ScimFunctions.ChangeFeed;

/// <summary>Deletes change-log rows older than <see cref="ChangeFeedOptions.Retention"/>: cursors older than that
/// are refused anyway, so the log costs what the retention holds, not what the directory ever changed.</summary>
public sealed class ChangeLogPruner(ChangeLogStore log, DirectoryStore directories, ChangeFeedOptions options, TimeProvider time, ILogger<ChangeLogPruner> logger)
{
    /// <summary>Prunes every directory that is not being deleted. Returns how many rows were deleted.</summary>
    public async Task<int> PruneAllAsync(CancellationToken cancellationToken)
    {
        var pruned = 0;
        foreach (var directory in await directories.ListAsync(cancellationToken))
        {
            if (directory.State == DirectoryState.Deleting) continue;
            try
            {
                pruned += await PruneDirectoryAsync(directory.Id, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One directory's trouble must not keep the others' logs growing.
                logger.LogError(exception, "Change-log pruning of directory {DirectoryId} failed", directory.Id);
            }
        }
        return pruned;
    }

    /// <summary>Deletes the directory's change rows older than the retention, 100 per transaction. Returns how many.</summary>
    public Task<int> PruneDirectoryAsync(string directoryId, CancellationToken cancellationToken) =>
        log.DeleteBelowAsync(directoryId, PartitionLayout.ChangeFloor(time.GetUtcNow() - options.Retention), cancellationToken);
}
