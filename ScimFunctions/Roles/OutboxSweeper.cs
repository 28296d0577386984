using Microsoft.Extensions.Logging;
using ScimFunctions.Directories;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Re-enqueues outbox rows older than <see cref="RoleOptions.SweepAge"/>, so a change whose signal was lost
/// (the process stopped, the queue was unreachable) still has its recompute: user rows as user messages,
/// group, role and directory rows as fan-outs. Cost per directory: 4 key-range reads (rows pending, normally
/// none) and the sends.
/// </summary>
public sealed class OutboxSweeper(
    RecomputeOutboxStore outbox,
    DirectoryStore directories,
    RoleRecomputeQueue queue,
    RoleOptions options,
    TimeProvider time,
    ILogger<OutboxSweeper> logger)
{
    /// <summary>Sweeps every directory that is not being deleted. Returns how many messages were sent.</summary>
    public async Task<int> SweepAllAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var directory in await directories.ListAsync(cancellationToken))
        {
            if (directory.State == DirectoryState.Deleting) continue;
            try
            {
                sent += await SweepDirectoryAsync(directory.Id, options.SweepAge, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One directory's trouble must not stop the others' healing.
                logger.LogError(exception, "Outbox sweep of directory {DirectoryId} failed", directory.Id);
            }
        }
        return sent;
    }

    /// <summary>Enqueues the directory's outbox rows last changed at least <paramref name="minAge"/> ago. Returns the messages sent.</summary>
    public async Task<int> SweepDirectoryAsync(string directoryId, TimeSpan minAge, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - minAge;
        var users = await outbox.ChangedBeforeAsync(directoryId, PartitionLayout.OutboxPrefix, cutoff, cancellationToken);
        var groups = await outbox.ChangedBeforeAsync(directoryId, PartitionLayout.GroupOutboxPrefix, cutoff, cancellationToken);
        var heldRoles = await outbox.ChangedBeforeAsync(directoryId, PartitionLayout.RoleOutboxPrefix, cutoff, cancellationToken);
        var everyone = await outbox.DirectoryOutboxChangedBeforeAsync(directoryId, cutoff, cancellationToken);

        var messages = RoleRecomputeMessage.ForUsers(directoryId, users).ToList();
        messages.AddRange(groups.Select(g => new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.Group, Key = g }));
        messages.AddRange(heldRoles.Select(r => new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.RoleHolders, Key = r }));
        if (everyone) messages.Add(new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.Directory });
        if (messages.Count > 0)
        {
            await queue.SendAsync(messages, cancellationToken);
            logger.LogInformation("Re-enqueued {Users} users and {FanOuts} fan-outs of directory {DirectoryId}",
                users.Count, messages.Count(m => m.Scope != RecomputeScope.Users), directoryId);
        }
        return messages.Count;
    }
}
