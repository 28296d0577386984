using Microsoft.Extensions.Logging;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// Prompts role recomputation after a committed change. The outbox rows written with the change are the
/// durable record, so a failed prompt is logged and never fails the request. Every registered
/// <see cref="IRoleRecomputeSignal"/> is told; with none registered this does nothing. A storage timeout
/// (the SDK's <see cref="TaskCanceledException"/>) is a failed prompt too; only the caller's cancellation is passed on.
/// </summary>
public sealed class RoleSignals(IEnumerable<IRoleRecomputeSignal> signals, ILogger<RoleSignals> logger)
{
    private readonly IRoleRecomputeSignal[] _signals = signals.ToArray();

    public async Task UsersChangedAsync(string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0) return;
        foreach (var signal in _signals)
        {
            try
            {
                await signal.SignalUsersAsync(directoryId, userIds, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Role recompute signal for {Count} users of directory {DirectoryId} failed; the outbox sweep will pick them up.", userIds.Count, directoryId);
            }
        }
    }

    /// <summary>
    /// Leave for a membership change of <paramref name="group"/> to skip its users' outbox rows and recompute
    /// prompt, when every signal grants it (no mapping names the group); null otherwise, with no signal
    /// registered, and when the check itself fails (the change then records and prompts as usual).
    /// </summary>
    public async Task<OutboxWaiver?> MembershipWaiverAsync(string directoryId, StoredResource group, CancellationToken cancellationToken)
    {
        if (_signals.Length == 0) return null;
        OutboxWaiver? granted = null;
        var displayName = ResourceKind.Group.DisplayOf(group.Document);
        foreach (var signal in _signals)
        {
            try
            {
                if (await signal.WaiverForMembershipAsync(directoryId, group.Id, displayName, group.Created, cancellationToken) is not { } waiver) return null;
                granted = granted is null || waiver.ValidUntil < granted.ValidUntil ? waiver : granted;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Role check for group {GroupId} of directory {DirectoryId} failed; the membership change records its recomputes.", group.Id, directoryId);
                return null;
            }
        }
        return granted;
    }

    /// <summary>After a group's document and member change committed together: a rename prompts the group's
    /// recompute, the member change its users'.</summary>
    public async Task GroupWrittenAsync(string directoryId, StoredResource before, MembershipChangeResult change, CancellationToken cancellationToken)
    {
        var after = change.Group ?? before;
        if (!string.Equals(ResourceKind.Group.DisplayOf(before.Document), ResourceKind.Group.DisplayOf(after.Document), StringComparison.Ordinal))
        {
            await GroupChangedAsync(directoryId, before.Id, cancellationToken);
        }
        await UsersChangedAsync(directoryId, change.UsersToRecompute, cancellationToken);
    }

    public async Task GroupChangedAsync(string directoryId, string groupId, CancellationToken cancellationToken)
    {
        foreach (var signal in _signals)
        {
            try
            {
                await signal.SignalGroupAsync(directoryId, groupId, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Role recompute signal for group {GroupId} of directory {DirectoryId} failed; the outbox sweep will pick it up.", groupId, directoryId);
            }
        }
    }
}
