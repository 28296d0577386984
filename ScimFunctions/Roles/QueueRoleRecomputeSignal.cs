namespace ScimFunctions.Roles;

/// <summary>Signals recomputes through <see cref="RoleRecomputeQueue"/>: users in chunks of
/// <see cref="RoleRecomputeMessage.MaxUsersPerMessage"/>, fan-outs as one message that walks its rows page by page.</summary>
public sealed class QueueRoleRecomputeSignal(RoleRecomputeQueue queue, MembershipWaivers? waivers = null) : IRoleRecomputeSignal
{
    public Task<Storage.OutboxWaiver?> WaiverForMembershipAsync(string directoryId, string groupId, string? groupDisplayName, DateTimeOffset groupCreated, CancellationToken cancellationToken) =>
        waivers is null ? Task.FromResult<Storage.OutboxWaiver?>(null) : waivers.ForGroupAsync(directoryId, groupId, groupDisplayName, groupCreated, cancellationToken);

    public Task SignalUsersAsync(string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        userIds.Count == 0 ? Task.CompletedTask : queue.SendAsync(RoleRecomputeMessage.ForUsers(directoryId, userIds), cancellationToken);

    public Task SignalGroupAsync(string directoryId, string groupId, CancellationToken cancellationToken) =>
        queue.SendAsync([new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.Group, Key = groupId }], cancellationToken);

    /// <summary>Whatever outbox rows the directory holds now, for a change whose users the caller does not know.</summary>
    public Task SignalOutboxAsync(string directoryId, CancellationToken cancellationToken) =>
        queue.SendAsync([new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.Outbox }], cancellationToken);

    public Task SignalRoleHoldersAsync(string directoryId, string roleKey, CancellationToken cancellationToken) =>
        queue.SendAsync([new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.RoleHolders, Key = roleKey }], cancellationToken);

    public Task SignalDirectoryAsync(string directoryId, CancellationToken cancellationToken) =>
        queue.SendAsync([new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.Directory }], cancellationToken);
}
