using Microsoft.Extensions.Logging;

namespace ScimFunctions.Roles;

/// <summary>
/// Configuration changes for the management API: the store commits the change with its fan-out row, then the
/// fan-out is signalled. A lost signal only delays the recompute until the sweep, so it is logged, not raised.
/// </summary>
public sealed class RoleService(RoleStore store, QueueRoleRecomputeSignal signal, ILogger<RoleService> logger)
{
    public RoleStore Store => store;

    public Task<bool> PutRoleAsync(string directoryId, RoleDefinition role, CancellationToken cancellationToken) =>
        store.PutRoleAsync(directoryId, role, cancellationToken);

    public async Task<bool> DeleteRoleAsync(string directoryId, string roleKey, CancellationToken cancellationToken)
    {
        if (!await store.DeleteRoleAsync(directoryId, roleKey, cancellationToken)) return false;
        await SignalAsync(() => signal.SignalRoleHoldersAsync(directoryId, roleKey, cancellationToken), directoryId);
        return true;
    }

    public async Task SetDefaultRoleAsync(string directoryId, string? roleKey, CancellationToken cancellationToken)
    {
        await store.SetDefaultRoleAsync(directoryId, roleKey, cancellationToken);
        await SignalAsync(() => signal.SignalDirectoryAsync(directoryId, cancellationToken), directoryId);
    }

    public async Task<GroupRoleMapping> PutMappingAsync(string directoryId, GroupMatch match, string group, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        var groupId = await store.PutMappingAsync(directoryId, match, group, roles, cancellationToken);
        if (groupId is not null) await SignalAsync(() => signal.SignalGroupAsync(directoryId, groupId, cancellationToken), directoryId);
        return new GroupRoleMapping(match, group, roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    public async Task<bool> DeleteMappingAsync(string directoryId, string mappingId, CancellationToken cancellationToken)
    {
        var (existed, groupId) = await store.DeleteMappingAsync(directoryId, mappingId, cancellationToken);
        if (groupId is not null) await SignalAsync(() => signal.SignalGroupAsync(directoryId, groupId, cancellationToken), directoryId);
        return existed;
    }

    private async Task SignalAsync(Func<Task> send, string directoryId)
    {
        try
        {
            await send();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Recompute signal for directory {DirectoryId} failed; the outbox sweep will send it", directoryId);
        }
    }
}
