namespace ScimFunctions.Storage;

/// <summary>An equality the store may answer from an index: <c>id</c>, <c>userName</c>, <c>externalId</c>,
/// <c>displayName</c> (indexed for groups; checked by scan for users). Compared as SCIM says: userName and
/// displayName case-insensitively, id and externalId exactly.</summary>
public sealed record IndexedEquality(string Attribute, string Value);
