namespace ScimFunctions.Storage;

/// <summary>
/// A membership change checked and resolved against storage, nothing written yet: the users to add (each a
/// user of the directory, with the display its member row will carry), the users to remove, and every user
/// the change names or, for a replace-all, every current member too (their roles are due once it commits).
/// <paramref name="Kept"/>: for a replace-all, the current members it keeps, with their displays (so the
/// members it leaves are known without a read after the commit); null otherwise.
/// </summary>
public sealed record MembershipPlan(
    string GroupId,
    IReadOnlyDictionary<string, string?> ToAdd,
    IReadOnlyCollection<string> ToRemove,
    IReadOnlyCollection<string> Affected,
    IReadOnlyDictionary<string, string?>? Kept = null)
{
    public bool IsEmpty => ToAdd.Count + ToRemove.Count == 0;
}
