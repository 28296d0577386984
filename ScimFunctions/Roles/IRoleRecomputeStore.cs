namespace ScimFunctions.Roles;

/// <summary>
/// The rows a recompute reads and writes for one user. Implemented by storage; the rules of what a user holds
/// stay in <see cref="RoleRecomputer"/>.
/// </summary>
public interface IRoleRecomputeStore
{
    /// <summary>The outbox row's and the assignment's versions, read before anything the roles follow (2 point reads).</summary>
    Task<RecomputeGuard> ReadGuardAsync(string directoryId, string userId, CancellationToken cancellationToken);

    /// <summary>The user's Active and groups (1 point read, 1 range read).</summary>
    Task<RecomputeInputs> ReadInputsAsync(string directoryId, string userId, CancellationToken cancellationToken);

    /// <summary>Commits the change with its holder rows, change-log row and the outbox row's delete, guarded by
    /// <paramref name="guard"/>: 1 transaction, or, when the holder rows do not fit in one (no transaction holds
    /// more than 100 operations), a staging write, the holder rows, and a final write that alone removes the
    /// outbox row. False when a guard failed: someone wrote in between.</summary>
    Task<bool> TryCommitAsync(string directoryId, RecomputeGuard guard, AssignmentChange change, CancellationToken cancellationToken);
}
