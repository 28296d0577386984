namespace ScimFunctions.Roles;

/// <summary>A user's assignment as stored, with the version of the row it was read from. <see cref="Staged"/>
/// is the role set of a change too large for one transaction that was begun and not finished: its holder rows
/// may exist (or be gone) beyond <see cref="Roles"/>, so the next recompute of the user must reconcile them.</summary>
public sealed record StoredAssignment(IReadOnlyList<string> Roles, long Version, string RowVersion, IReadOnlyList<string>? Staged = null)
{
    /// <summary>Whether an interrupted multi-transaction change left holder rows to reconcile.</summary>
    public bool HasStagedChange => Staged is not null;
}
