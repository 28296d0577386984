namespace ScimFunctions.Roles;

/// <summary>An outbox row as a fan-out sees it: its version, when storage wrote it (<see cref="Written"/>, the
/// clock member rows are stamped with too) and when the change it records was made (<see cref="ChangedAt"/>).</summary>
public sealed record OutboxStamp(string Version, DateTimeOffset Written, DateTimeOffset ChangedAt);
