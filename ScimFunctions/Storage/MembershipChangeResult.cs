namespace ScimFunctions.Storage;

/// <summary>What a membership change did: how many users it added and removed (re-adds count as adds), the
/// write transactions it took, and the group as it now stands (new version and <c>lastModified</c>).</summary>
public sealed record MembershipChangeResult(int Added, int Removed, int Transactions, StoredResource? Group = null);
