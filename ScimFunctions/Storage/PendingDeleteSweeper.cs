using Microsoft.Extensions.Logging;
using ScimFunctions.Directories;

namespace ScimFunctions.Storage;

/// <summary>
/// Finishes every interrupted delete: a user or group whose document is gone but whose <c>deleting|</c> marker
/// and membership rows are left, because the process stopped or storage failed after the delete's first
/// transaction. Cost per directory: 2 key-range reads (markers, normally none), then the cleanup of each.
/// Directories being deleted are skipped: the purge removes their whole partition.
/// </summary>
public sealed class PendingDeleteSweeper(ScimStore store, DirectoryStore directories, ILogger<PendingDeleteSweeper> logger)
{
    /// <summary>Returns how many deletes were finished.</summary>
    public async Task<int> SweepAllAsync(CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        var finished = 0;
        foreach (var directory in await directories.ListAsync(cancellationToken))
        {
            if (directory.State == DirectoryState.Deleting) continue;
            try
            {
                finished += await store.Groups.ResumePendingDeletesAsync(directory.Id, cancellationToken);
                finished += await store.Users.ResumePendingDeletesAsync(directory.Id, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One directory's trouble must not stop the others' cleanup; the next run tries again.
                logger.LogError(exception, "Pending-delete sweep of directory {DirectoryId} failed", directory.Id);
            }
        }
        return finished;
    }
}
