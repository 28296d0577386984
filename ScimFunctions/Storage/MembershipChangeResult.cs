namespace ScimFunctions.Storage;

/// <summary>What a membership change did: how many users it added and removed (re-adds count as adds), the
/// write transactions it took, the group as it now stands (new version and <c>lastModified</c>), and the users
/// whose outbox rows it wrote (none under an <see cref="OutboxWaiver"/>): the ones to prompt a recompute for.</summary>
public sealed record MembershipChangeResult(int Added, int Removed, int Transactions, StoredResource? Group = null, IReadOnlyList<string>? PendingUsers = null)
{
    public IReadOnlyList<string> UsersToRecompute => PendingUsers ?? [];
}
