using Azure;
using Azure.Data.Tables;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Role configuration, assignments and holders in the directory's partition (see <see cref="Storage.PartitionLayout"/>).
/// Each configuration change commits, in the same transaction, the fan-out row that says whose roles are now
/// due: <c>groupOutbox|{groupId}</c> for a mapping, <c>roleOutbox|{key}</c> for a deleted role,
/// <c>directoryOutbox|all</c> for the default role. Every change is checked against the configuration it read
/// (the role cap, the roles a mapping names, the mappings naming a role to delete) and commits with a rewrite of
/// <c>roleconf|version</c> guarded by the ETag read with it, so of two concurrent changes checked against the
/// same configuration one commits and the other is checked again against the new one: caps and references hold
/// under concurrency. Round trips: a configuration read is 1 R; each change is 1 R + 1 T (again on a conflict).
/// </summary>
public sealed class RoleStore(ScimDataTable data, TimeProvider time) : IRoleMapReader
{
    /// <summary>At most this many roles per directory, so one user's assignment change (every role added or
    /// removed, plus the assignment, outbox and change-log rows) normally fits in one 100-operation transaction;
    /// holders of roles deleted meanwhile can make it larger, and then it is written in steps
    /// (<see cref="Storage.RoleRecomputeStore"/>).</summary>
    public const int MaxRolesPerDirectory = 90;

    public const int MaxRolesPerMapping = 20;

    /// <summary>Roles, default role and mappings: one range read.</summary>
    /// <exception cref="InvalidDataException">a stored row cannot be read; a recompute must not guess</exception>
    public async Task<RoleConfiguration> ReadConfigurationAsync(string directoryId, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var roles = new Dictionary<string, RoleDefinition>(StringComparer.Ordinal);
        var mappings = new List<GroupRoleMapping>();
        string? defaultRole = null;
        string? version = null;
        await foreach (var row in table.QueryAsync<TableEntity>(KeyRange.Under(partition, PartitionLayout.RoleConfigPrefix), cancellationToken: cancellationToken))
        {
            var key = row.RowKey;
            if (key.StartsWith(PartitionLayout.RoleDefinitionPrefix, StringComparison.Ordinal))
            {
                var roleKey = PartitionLayout.AfterPrefix(PartitionLayout.RoleDefinitionPrefix, key);
                roles[roleKey] = new RoleDefinition(roleKey, row.GetString(RoleRows.DisplayNameProperty) ?? roleKey, row.GetString(RoleRows.DescriptionProperty));
            }
            else if (key == PartitionLayout.DefaultRole)
            {
                defaultRole = row.GetString(RoleRows.RoleProperty);
            }
            else if (key == PartitionLayout.RoleConfigVersion)
            {
                version = row.ETag.ToString();
            }
            else if (key.StartsWith(PartitionLayout.GroupIdMappingPrefix, StringComparison.Ordinal))
            {
                mappings.Add(new GroupRoleMapping(GroupMatch.Id, PartitionLayout.AfterPrefix(PartitionLayout.GroupIdMappingPrefix, key), RoleRows.ReadRoles(row)));
            }
            else if (key.StartsWith(PartitionLayout.GroupNameMappingPrefix, StringComparison.Ordinal))
            {
                var name = row.GetString(RoleRows.GroupProperty) ?? throw new InvalidDataException($"Mapping {key} has no group name.");
                mappings.Add(new GroupRoleMapping(GroupMatch.DisplayName, name, RoleRows.ReadRoles(row)));
            }
        }
        return new RoleConfiguration(roles, defaultRole, mappings) { Version = version };
    }

    /// <summary>Resolves name mappings through the groups' unique-name index (1 point read per name mapping, in parallel).</summary>
    public async Task<ResolvedRoleMap> ResolveAsync(string directoryId, RoleConfiguration configuration, CancellationToken cancellationToken)
    {
        var names = configuration.Mappings.Where(m => m.Match == GroupMatch.DisplayName).Select(m => m.Group).Distinct().ToList();
        var resolved = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (name, token) =>
        {
            if (await GroupIdByNameAsync(directoryId, name, token) is { } groupId) resolved[name] = groupId;
        });
        return new ResolvedRoleMap(configuration, resolved);
    }

    public async Task<ResolvedRoleMap> ReadMapAsync(string directoryId, CancellationToken cancellationToken) =>
        await ResolveAsync(directoryId, await ReadConfigurationAsync(directoryId, cancellationToken), cancellationToken);

    public async Task<string?> GroupIdByNameAsync(string directoryId, string displayName, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(
            PartitionLayout.Partition(directoryId), ResourceKind.Group.UniqueNameKey(displayName), ["Id"], cancellationToken);
        return index.HasValue ? index.Value!.GetString("Id") : null;
    }

    /// <summary>Creates or updates a role's names (assignments hold keys, so nobody's roles change). True if created.</summary>
    /// <exception cref="RoleConfigurationException">the directory already has <see cref="MaxRolesPerDirectory"/> roles</exception>
    public Task<bool> PutRoleAsync(string directoryId, RoleDefinition role, CancellationToken cancellationToken) =>
        ChangeAsync(directoryId, configuration =>
        {
            var exists = configuration.Roles.ContainsKey(role.Key);
            if (!exists && configuration.Roles.Count >= MaxRolesPerDirectory)
            {
                throw new RoleConfigurationException(ScimErrorKind.Conflict, null, $"A directory holds at most {MaxRolesPerDirectory} roles.");
            }
            var entity = new TableEntity(PartitionLayout.Partition(directoryId), PartitionLayout.RoleDefinition(role.Key))
            {
                [RoleRows.DisplayNameProperty] = role.DisplayName,
                [RoleRows.DescriptionProperty] = role.Description,
            };
            return Task.FromResult<(List<TableTransactionAction>, bool)>(([new(TableTransactionActionType.UpsertReplace, entity)], !exists));
        }, cancellationToken);

    /// <summary>Deletes a role no mapping or default names; its holders are recomputed (roleOutbox, same transaction).</summary>
    /// <returns>false if there was no such role</returns>
    /// <exception cref="RoleConfigurationException">409 while a mapping or the default role still names it</exception>
    public async Task<bool> DeleteRoleAsync(string directoryId, string roleKey, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        try
        {
            return await ChangeAsync(directoryId, configuration =>
            {
                if (!configuration.Roles.ContainsKey(roleKey)) return Task.FromResult<(List<TableTransactionAction>, bool)>(([], false));
                var users = configuration.Mappings.Where(m => m.Roles.Contains(roleKey)).Select(m => m.MappingId).ToList();
                if (configuration.DefaultRole == roleKey) users.Insert(0, "the default role");
                if (users.Count > 0)
                {
                    throw new RoleConfigurationException(ScimErrorKind.Conflict, ScimErrorType.Mutability, $"Role '{roleKey}' is still used by: {string.Join(", ", users.Take(10))}. Remove it there first.");
                }
                return Task.FromResult<(List<TableTransactionAction>, bool)>((
                [
                    new(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.RoleDefinition(roleKey)), ETag.All),
                    OutboxRules.RoleDeleted(partition, roleKey, time.GetUtcNow()),
                ], true));
            }, cancellationToken);
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Sets (or with null, removes) the default role; every user is recomputed (directoryOutbox, same transaction).</summary>
    /// <exception cref="RoleConfigurationException">the role is not defined</exception>
    public Task SetDefaultRoleAsync(string directoryId, string? roleKey, CancellationToken cancellationToken) =>
        ChangeAsync(directoryId, configuration =>
        {
            CheckDefaultRole(configuration, roleKey);
            var partition = PartitionLayout.Partition(directoryId);
            var change = roleKey is null
                ? new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PartitionLayout.DefaultRole))
                : new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, PartitionLayout.DefaultRole) { [RoleRows.RoleProperty] = roleKey });
            return Task.FromResult<(List<TableTransactionAction>, bool)>(([change, OutboxRules.DefaultRoleChanged(partition, time.GetUtcNow())], true));
        }, cancellationToken);

    /// <summary>
    /// Creates or replaces the mapping of one group. Its members are recomputed: the mapping row and the
    /// group's <c>groupOutbox</c> row commit together. A name mapping whose group does not exist yet needs no
    /// recompute (a new group has no members; a rename to that name writes the group's outbox itself).
    /// </summary>
    /// <returns>the group id whose members are due, if any</returns>
    /// <exception cref="RoleConfigurationException">unknown roles, too many roles, or an id that is not a group here</exception>
    public Task<string?> PutMappingAsync(string directoryId, GroupMatch match, string group, IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        ChangeAsync(directoryId, async configuration =>
        {
            var wanted = MappingRoles(configuration, roles);

            var partition = PartitionLayout.Partition(directoryId);
            var table = await data.GetAsync(cancellationToken);
            string? groupId;
            TableEntity mapping;
            if (match == GroupMatch.Id)
            {
                groupId = group;
                var exists = PartitionLayout.IsServerId(group) && (await table.GetEntityIfExistsAsync<TableEntity>(
                    partition, ResourceKind.Group.DocumentKey(group), ["RowKey"], cancellationToken)).HasValue;
                if (!exists) throw new RoleConfigurationException(ScimErrorKind.InvalidRequest, ScimErrorType.InvalidValue, $"'{group}' is not a group of this directory.");
                mapping = new TableEntity(partition, PartitionLayout.GroupIdMapping(group));
            }
            else
            {
                groupId = await GroupIdByNameAsync(directoryId, group, cancellationToken);
                mapping = new TableEntity(partition, PartitionLayout.GroupNameMapping(group)) { [RoleRows.GroupProperty] = group };
            }
            mapping[RoleRows.RolesProperty] = RoleRows.WriteRoles(wanted);
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpsertReplace, mapping) };
            if (groupId is not null) actions.Add(OutboxRules.GroupMappingChanged(partition, groupId, time.GetUtcNow()));
            return (actions, groupId);
        }, cancellationToken);

    /// <summary>The roles of a mapping, deduplicated and sorted: 1 to <see cref="MaxRolesPerMapping"/> roles, each defined.</summary>
    /// <exception cref="RoleConfigurationException">too few, too many or undefined roles</exception>
    public static List<string> MappingRoles(RoleConfiguration configuration, IEnumerable<string> roles)
    {
        var wanted = roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (wanted.Count is 0 or > MaxRolesPerMapping)
        {
            throw new RoleConfigurationException(ScimErrorKind.InvalidRequest, ScimErrorType.InvalidValue, $"'roles' must name 1 to {MaxRolesPerMapping} roles.");
        }
        var unknown = wanted.Where(r => !configuration.Roles.ContainsKey(r)).ToList();
        if (unknown.Count > 0) throw new RoleConfigurationException(ScimErrorKind.InvalidRequest, ScimErrorType.InvalidValue, $"Roles not defined: {string.Join(", ", unknown)}.");
        return wanted;
    }

    /// <summary>Checks a default role: null or defined.</summary>
    /// <exception cref="RoleConfigurationException">the role is not defined</exception>
    public static void CheckDefaultRole(RoleConfiguration configuration, string? roleKey)
    {
        if (roleKey is not null && !configuration.Roles.ContainsKey(roleKey))
        {
            throw new RoleConfigurationException(ScimErrorKind.InvalidRequest, ScimErrorType.InvalidValue, $"Role '{roleKey}' is not defined.");
        }
    }

    /// <summary>Removes a mapping; its group's members are recomputed (groupOutbox, same transaction).</summary>
    /// <returns>whether it existed, and the group id whose members are due</returns>
    public async Task<(bool Existed, string? GroupId)> DeleteMappingAsync(string directoryId, string mappingId, CancellationToken cancellationToken)
    {
        if (RoleMappingIds.RowKeyOf(mappingId) is not { } rowKey) return (false, null);
        var partition = PartitionLayout.Partition(directoryId);
        try
        {
            return await ChangeAsync(directoryId, async configuration =>
            {
                var table = await data.GetAsync(cancellationToken);
                var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
                if (!row.HasValue) return ([], (false, (string?)null));
                var groupId = rowKey.StartsWith(PartitionLayout.GroupIdMappingPrefix, StringComparison.Ordinal)
                    ? PartitionLayout.AfterPrefix(PartitionLayout.GroupIdMappingPrefix, rowKey)
                    : await GroupIdByNameAsync(directoryId, row.Value!.GetString(RoleRows.GroupProperty) ?? "", cancellationToken);
                var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Delete, row.Value!, row.Value!.ETag) };
                if (groupId is not null) actions.Add(OutboxRules.GroupMappingChanged(partition, groupId, time.GetUtcNow()));
                return (actions, (true, groupId));
            }, cancellationToken);
        }
        catch (TableTransactionFailedException failure) when (failure.Status is 404 or 412)
        {
            return (false, null);
        }
    }

    /// <summary>
    /// One configuration change: reads the configuration, lets <paramref name="plan"/> check it and name the
    /// writes (none: nothing to do), and commits them with the version row guarded by the ETag read. When
    /// another change committed in between, the version row refuses (412, or 409 when both would create it) and
    /// the change is checked again against what that one left.
    /// </summary>
    private async Task<T> ChangeAsync<T>(
        string directoryId, Func<RoleConfiguration, Task<(List<TableTransactionAction> Actions, T Result)>> plan, CancellationToken cancellationToken)
    {
        var partition = PartitionLayout.Partition(directoryId);
        for (var attempt = 1; ; attempt++)
        {
            var configuration = await ReadConfigurationAsync(directoryId, cancellationToken);
            var (actions, result) = await plan(configuration);
            if (actions.Count == 0) return result;
            var version = new TableEntity(partition, PartitionLayout.RoleConfigVersion) { ["ChangedAt"] = time.GetUtcNow() };
            actions.Add(configuration.Version is { } etag
                ? new(TableTransactionActionType.UpdateReplace, version, new ETag(etag))
                : new(TableTransactionActionType.Add, version));
            var table = await data.GetAsync(cancellationToken);
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                return result;
            }
            catch (TableTransactionFailedException failure) when (failure.FailedTransactionActionIndex == actions.Count - 1 && failure.Status is 409 or 412)
            {
                // Another change got in first: check this one again against the configuration it left.
                if (attempt >= MaxConfigurationAttempts)
                {
                    throw new RoleConfigurationException(ScimErrorKind.Conflict, null, "The role configuration kept changing concurrently; retry the request.");
                }
            }
        }
    }

    /// <summary>Attempts of one configuration change against concurrent ones before it is answered 409.</summary>
    private const int MaxConfigurationAttempts = 20;

    /// <summary>A user's assignment: 1 point read. Null if it was never computed (or the user is gone).</summary>
    public async Task<RoleAssignment?> GetAssignmentAsync(string directoryId, string userId, CancellationToken cancellationToken)
    {
        if (!PartitionLayout.IsServerId(userId)) return null;
        var table = await data.GetAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionLayout.Partition(directoryId), PartitionLayout.Assignment(userId), cancellationToken: cancellationToken);
        return row.HasValue ? ToAssignment(userId, row.Value!) : null;
    }

    /// <summary>The assignments of the users from <paramref name="firstUserId"/> through <paramref name="lastUserId"/>
    /// (id order, both included), by user id: 1 range read for a page of users, instead of a point read per user.</summary>
    public async Task<IReadOnlyDictionary<string, RoleAssignment>> ListAssignmentsAsync(
        string directoryId, string firstUserId, string lastUserId, CancellationToken cancellationToken)
    {
        var assignments = new Dictionary<string, RoleAssignment>(StringComparer.Ordinal);
        if (!PartitionLayout.IsServerId(firstUserId) || !PartitionLayout.IsServerId(lastUserId)) return assignments;
        var table = await data.GetAsync(cancellationToken);
        var filter = KeyRange.Between(PartitionLayout.Partition(directoryId), PartitionLayout.Assignment(firstUserId), PartitionLayout.PrefixEnd(PartitionLayout.Assignment(lastUserId)));
        await foreach (var row in table.QueryAsync<TableEntity>(filter, 1000, cancellationToken: cancellationToken))
        {
            var userId = PartitionLayout.LastSegment(row.RowKey);
            assignments[userId] = ToAssignment(userId, row);
        }
        return assignments;
    }

    /// <summary>
    /// A user's assignment and whether a recompute of it is still due: a fan-out that reaches it and has not yet
    /// recorded its users (every user; a group it is a member of; a role its assignment holds), or its own outbox
    /// row. Read in the order that never shows a change as settled before its roles are in: the fan-out rows first
    /// (a fan-out writes its users' rows before it clears its own, so a fan-out row found gone means its row for
    /// this user is already there), then the user's own row (with its groups while a group fan-out is pending), then
    /// the assignment (a recompute deletes the user's row in the transaction that writes the assignment, so a row
    /// found gone means the assignment read after it has that recompute's roles). A recompute committing meanwhile
    /// shows as pending. 3 reads at once (1 point, 2 key-only ranges, normally empty), the user's row, its assignment.
    /// </summary>
    public async Task<(RoleAssignment? Assignment, bool Pending)> ReadUserRolesAsync(string directoryId, string userId, CancellationToken cancellationToken)
    {
        if (!PartitionLayout.IsServerId(userId)) return (null, false);
        var (due, roleFanOuts) = await ReadPendingAsync(directoryId, userId, cancellationToken);
        var assignment = await GetAssignmentAsync(directoryId, userId, cancellationToken);
        return (assignment, due || roleFanOuts.Overlaps(assignment?.Roles ?? []));
    }

    /// <returns>whether a recompute is due whatever the user holds, and the roles whose holders a fan-out is still to reach</returns>
    private async Task<(bool Due, HashSet<string> RoleFanOuts)> ReadPendingAsync(string directoryId, string userId, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var everyone = RowExistsAsync(table, partition, PartitionLayout.DirectoryOutbox, cancellationToken);
        var groupFanOuts = KeysAsync(directoryId, PartitionLayout.GroupOutboxPrefix, cancellationToken);
        var roleFanOuts = KeysAsync(directoryId, PartitionLayout.RoleOutboxPrefix, cancellationToken);
        await Task.WhenAll(everyone, groupFanOuts, roleFanOuts);
        if (everyone.Result) return (true, roleFanOuts.Result);

        var own = RowExistsAsync(table, partition, PartitionLayout.Outbox(userId), cancellationToken);
        var groups = groupFanOuts.Result.Count == 0
            ? Task.FromResult(new HashSet<string>(StringComparer.Ordinal))
            : KeysAsync(directoryId, PartitionLayout.GroupsOfUserPrefix(userId), cancellationToken);
        await Task.WhenAll(own, groups);
        return (own.Result || groups.Result.Overlaps(groupFanOuts.Result), roleFanOuts.Result);
    }

    private static async Task<bool> RowExistsAsync(TableClient table, string partition, string rowKey, CancellationToken cancellationToken) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, ["RowKey"], cancellationToken)).HasValue;

    private async Task<HashSet<string>> KeysAsync(string directoryId, string prefix, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in data.KeysUnderAsync(directoryId, prefix, null, null, cancellationToken)) keys.Add(key);
        return keys;
    }

    /// <summary>A page of the users holding a role, in id order (1 read per page, up to 1,000).</summary>
    public async Task<(IReadOnlyList<string> UserIds, string? ContinueAfter)> ListHoldersAsync(
        string directoryId, string roleKey, string? afterUserId, int maxCount, CancellationToken cancellationToken)
    {
        var (users, more) = await data.KeyPageAsync(directoryId, PartitionLayout.HoldersOf(roleKey), afterUserId, maxCount, cancellationToken);
        return (users, more && users.Count > 0 ? users[^1] : null);
    }

    private static RoleAssignment ToAssignment(string userId, TableEntity row) => new(
        userId,
        RoleRows.ReadRoles(row),
        row.GetInt64(RoleRows.VersionProperty) ?? 0,
        row.GetDateTimeOffset(RoleRows.ComputedAtProperty) ?? DateTimeOffset.MinValue);
}
