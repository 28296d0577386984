using Microsoft.Extensions.Logging;
using ScimFunctions.Roles;

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
