namespace ScimFunctions.Roles;

/// <summary>What a recompute read first about a user: the version of its outbox row (null: none pending) and
/// its stored assignment (null: never computed). The write is guarded by both.</summary>
public sealed record RecomputeGuard(string? OutboxVersion, StoredAssignment? Assignment);
