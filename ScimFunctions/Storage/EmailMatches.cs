namespace ScimFunctions.Storage;

/// <summary>The users holding an email. <see cref="Complete"/> is false when users stored before the email index
/// could not all be checked within the look-up's bound: a user may be missing from <see cref="Users"/>.</summary>
public sealed record EmailMatches(IReadOnlyList<StoredResource> Users, bool Complete);
