using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Previews a default role and mappings before they are saved: each user's roles under the current and the
/// proposed configuration, both from <see cref="ResolvedRoleMap.RolesFor"/> over the inputs a recompute reads
/// (<see cref="IRoleRecomputeStore.ReadInputsAsync"/>), so the preview and the recompute cannot disagree.
/// Cost: 1 configuration read, 1 point read per name mapping (twice), 1 key-only range read of the users, and
/// 2 reads per user; so it is offered up to <see cref="MaxUsers"/> users.
/// </summary>
public sealed class RolePreviewer(RoleStore store, IRoleRecomputeStore rows, ScimDataTable data)
{
    public const int MaxUsers = 2_000;
    private const int ParallelReads = 8;

    /// <exception cref="RoleConfigurationException">an undefined role, or a directory too large to preview</exception>
    public async Task<RolePreview> PreviewAsync(string directoryId, string? defaultRole, IReadOnlyList<GroupRoleMapping> mappings, CancellationToken cancellationToken)
    {
        var configuration = await store.ReadConfigurationAsync(directoryId, cancellationToken);
        var proposed = Proposed(configuration, defaultRole, mappings);
        var currentMap = store.ResolveAsync(directoryId, configuration, cancellationToken);
        var proposedMap = store.ResolveAsync(directoryId, proposed, cancellationToken);

        var users = new List<string>();
        await foreach (var userId in data.KeysUnderAsync(directoryId, PartitionLayout.UserPrefix, null, 1000, cancellationToken))
        {
            if (users.Count == MaxUsers)
            {
                throw new RoleConfigurationException(ScimErrorKind.Conflict, null, $"A preview is available for directories of up to {MaxUsers} users; save the change and watch the roles instead.");
            }
            users.Add(userId);
        }
        var (before, after) = (await currentMap, await proposedMap);
        var gains = new Dictionary<string, int>(StringComparer.Ordinal);
        var losses = new Dictionary<string, int>(StringComparer.Ordinal);
        var affected = 0;
        var gate = new object();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken }, async (userId, token) =>
        {
            var inputs = await rows.ReadInputsAsync(directoryId, userId, token);
            var was = before.RolesFor(inputs.Active == true, inputs.GroupIds);
            var will = after.RolesFor(inputs.Active == true, inputs.GroupIds);
            if (was.SequenceEqual(will, StringComparer.Ordinal)) return;
            lock (gate)
            {
                affected++;
                foreach (var role in will.Except(was, StringComparer.Ordinal)) gains[role] = gains.GetValueOrDefault(role) + 1;
                foreach (var role in was.Except(will, StringComparer.Ordinal)) losses[role] = losses.GetValueOrDefault(role) + 1;
            }
        });
        var changes = gains.Keys.Union(losses.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(role => new RoleChangeCount(role, gains.GetValueOrDefault(role), losses.GetValueOrDefault(role)))
            .ToList();
        return new RolePreview(affected, changes);
    }

    /// <summary>The configuration with the proposed default role and mappings, checked as saving them would check them.</summary>
    /// <exception cref="RoleConfigurationException">an undefined role, or a mapping without roles</exception>
    public static RoleConfiguration Proposed(RoleConfiguration configuration, string? defaultRole, IReadOnlyList<GroupRoleMapping> mappings)
    {
        RoleStore.CheckDefaultRole(configuration, defaultRole);
        var checkedMappings = mappings.Select(mapping => mapping with { Roles = RoleStore.MappingRoles(configuration, mapping.Roles) }).ToList();
        return configuration with { DefaultRole = defaultRole, Mappings = checkedMappings };
    }
}
