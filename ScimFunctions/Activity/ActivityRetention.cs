using Microsoft.Extensions.Logging;
using ScimFunctions.Directories;

namespace ScimFunctions.Activity;

/// <summary>
/// Removes logged requests older than <see cref="ActivityOptions.RetentionDays"/>: per directory, its old day
/// partitions by key range, so a run costs what it deletes (plus one query per directory), bounded by
/// <see cref="ActivityOptions.RetentionDeletesPerRun"/>; the next run resumes.
/// </summary>
public sealed class ActivityRetention(ActivityStore store, DirectoryStore directories, ActivityOptions options, TimeProvider time, ILogger<ActivityRetention> logger)
{
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var keepFrom = time.GetUtcNow().AddDays(-(options.RetentionDays - 1));
        var budget = options.RetentionDeletesPerRun;
        var deleted = 0;
        foreach (var directory in await directories.ListAsync(cancellationToken))
        {
            if (deleted >= budget) break;
            deleted += await store.DeleteDaysBeforeAsync(directory.Id, keepFrom, budget - deleted, cancellationToken);
        }
        if (deleted > 0) logger.LogInformation("Activity retention removed {Count} logged requests older than {Days} days.", deleted, options.RetentionDays);
        return deleted;
    }
}
