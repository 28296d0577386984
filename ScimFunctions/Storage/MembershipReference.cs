namespace ScimFunctions.Storage;

/// <summary>One side of a membership as stored on the membership row: the other side's id and display.</summary>
public sealed record MembershipReference(string Id, string? Display);
