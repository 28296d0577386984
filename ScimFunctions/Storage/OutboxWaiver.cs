namespace ScimFunctions.Storage;

/// <summary>
/// Leave to write a membership change without its users' outbox rows: granted by the role rules when the group
/// maps to no role, on a configuration read that began at <see cref="ReadFrom"/>. It holds for membership
/// transactions sent before <see cref="ValidUntil"/>; a group fan-out re-reads the members written since it
/// started only after a settle time longer than that window plus a transaction's longest run, so a mapping
/// change that commits after the read still reaches every member a waived write added.
/// </summary>
public sealed record OutboxWaiver(DateTimeOffset ReadFrom, DateTimeOffset ValidUntil)
{
    public bool HoldsAt(DateTimeOffset now) => now < ValidUntil;
}
