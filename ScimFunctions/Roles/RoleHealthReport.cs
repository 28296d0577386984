namespace ScimFunctions.Roles;

/// <summary>A directory's recompute health: what is pending, and what ended in the poison queue.</summary>
public sealed record RoleHealthReport(
    int PendingUsers,
    DateTimeOffset? OldestPendingChange,
    int PendingFanOuts,
    int PoisonedMessages,
    DateTimeOffset? LastPoisonedAt,
    string? LastPoisonReason,
    int PoisonQueueDepthAllDirectories);
