namespace ScimFunctions.Scim.Patch;

/// <summary>A group member as a PATCH names it. <see cref="Type"/> is "User" or "Group" when the client said.</summary>
public sealed record MemberRef(string Value, string? Type = null, string? Display = null);
