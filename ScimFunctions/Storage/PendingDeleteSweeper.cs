using Microsoft.Extensions.Logging;
using ScimFunctions.Directories;

namespace ScimFunctions.Storage;

/// <summary>
/// Finishes every interrupted delete: a user or group whose document is gone but whose <c>deleting|</c> marker
/// and membership rows are left, because the process stopped or storage failed after the delete's first
/// transaction; and every interrupted rename, whose new display is not yet on its membership rows
/// (<c>displayRefresh|</c>); and every group write whose large member change was cut off after its document
/// committed (<see cref="PendingGroupChanges"/>). Cost per directory: 5 key-range reads (normally empty), then the
/// work of each.
/// Directories being deleted are skipped: the purge removes their whole partition.
/// </summary>
public sealed class PendingDeleteSweeper(ScimStore store, DirectoryStore directories, ILogger<PendingDeleteSweeper> logger)
{
    /// <summary>Returns how many deletes, renames and member changes were finished.</summary>
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
                finished += await store.Groups.ResumeDisplayRefreshesAsync(directory.Id, cancellationToken);
                finished += await store.Users.ResumeDisplayRefreshesAsync(directory.Id, cancellationToken);
                finished += await store.Memberships.PendingChanges.ResumeAsync(directory.Id, cancellationToken);
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
