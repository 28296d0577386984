namespace ScimFunctions.Storage;

/// <summary>One <c>memberOf</c> row as a range over several users returns it: whose it is, and the group it names.</summary>
public sealed record UserGroupReference(string UserId, MembershipReference Group);
