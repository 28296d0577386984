namespace ScimFunctions.Roles;

/// <summary>
/// Asks for users' roles to be recomputed, after a change that wrote their outbox rows has committed. The
/// outbox rows are the durable record; this is only the prompt to act on them now. Losing a signal is harmless
/// (the outbox sweep re-enqueues old rows), so a caller logs a failure here and does not fail its request.
/// </summary>
public interface IRoleRecomputeSignal
{
    /// <summary>The users whose <c>outbox|{userId}</c> rows the change wrote.</summary>
    Task SignalUsersAsync(string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>Every member of a group (its <c>groupOutbox|{groupId}</c> row was written, e.g. on rename).</summary>
    Task SignalGroupAsync(string directoryId, string groupId, CancellationToken cancellationToken);

    /// <summary>Leave for a membership change of this group to skip its users' outbox rows and prompt, when no
    /// role can change (see <see cref="MembershipWaivers"/>); null (the default): record and prompt as usual.</summary>
    Task<Storage.OutboxWaiver?> WaiverForMembershipAsync(string directoryId, string groupId, string? groupDisplayName, DateTimeOffset groupCreated, CancellationToken cancellationToken) =>
        Task.FromResult<Storage.OutboxWaiver?>(null);
}
