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
        await SignalAsync(() => signal.SignalRoleHoldersAsync(directoryId, roleKey, cancellationToken), directoryId, cancellationToken);
        return true;
    }

    public async Task SetDefaultRoleAsync(string directoryId, string? roleKey, CancellationToken cancellationToken)
    {
        await store.SetDefaultRoleAsync(directoryId, roleKey, cancellationToken);
        await SignalAsync(() => signal.SignalDirectoryAsync(directoryId, cancellationToken), directoryId, cancellationToken);
    }

    public async Task<GroupRoleMapping> PutMappingAsync(string directoryId, GroupMatch match, string group, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        var groupId = await store.PutMappingAsync(directoryId, match, group, roles, cancellationToken);
        if (groupId is not null) await SignalAsync(() => signal.SignalGroupAsync(directoryId, groupId, cancellationToken), directoryId, cancellationToken);
        return new GroupRoleMapping(match, group, roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    public async Task<bool> DeleteMappingAsync(string directoryId, string mappingId, CancellationToken cancellationToken)
    {
        var (existed, groupId) = await store.DeleteMappingAsync(directoryId, mappingId, cancellationToken);
        if (groupId is not null) await SignalAsync(() => signal.SignalGroupAsync(directoryId, groupId, cancellationToken), directoryId, cancellationToken);
        return existed;
    }

    /// <summary>
    /// Makes the default role and the mappings exactly these (what the portal's role page saves): everything is
    /// checked first, then the default role is set if it changed, mappings no longer wanted are deleted and new
    /// or changed ones put, each with its own recompute. Unchanged mappings are not written.
    /// </summary>
    /// <exception cref="RoleConfigurationException">an undefined role, a mapping without roles, or an id that is not a group</exception>
    public async Task ReplaceMappingsAsync(string directoryId, string? defaultRole, IReadOnlyList<GroupRoleMapping> mappings, CancellationToken cancellationToken)
    {
        var current = await store.ReadConfigurationAsync(directoryId, cancellationToken);
        var proposed = RolePreviewer.Proposed(current, defaultRole, mappings);
        if (proposed.DefaultRole != current.DefaultRole) await SetDefaultRoleAsync(directoryId, proposed.DefaultRole, cancellationToken);
        var wanted = proposed.Mappings.GroupBy(m => m.MappingId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        foreach (var existing in current.Mappings.Where(m => !wanted.ContainsKey(m.MappingId)))
        {
            await DeleteMappingAsync(directoryId, existing.MappingId, cancellationToken);
        }
        var unchanged = current.Mappings.ToDictionary(m => m.MappingId, m => m.Roles, StringComparer.Ordinal);
        foreach (var mapping in wanted.Values)
        {
            if (unchanged.TryGetValue(mapping.MappingId, out var roles) && roles.SequenceEqual(mapping.Roles, StringComparer.Ordinal)) continue;
            await PutMappingAsync(directoryId, mapping.Match, mapping.Group, mapping.Roles, cancellationToken);
        }
    }

    private async Task SignalAsync(Func<Task> send, string directoryId, CancellationToken cancellationToken)
    {
        try
        {
            await send();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A storage timeout is a TaskCanceledException too: only the caller's own cancellation is passed on.
            logger.LogWarning(exception, "Recompute signal for directory {DirectoryId} failed; the outbox sweep will send it", directoryId);
        }
    }
}
