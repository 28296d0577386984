namespace ScimFunctions.Scim.Patch;

/// <summary>The result of a PATCH: the new document, and for groups the membership change to apply beside it.</summary>
/// <param name="Resource">The patched document (a new object; the input is never modified).</param>
/// <param name="Members">Null when no operation touched membership.</param>
/// <param name="ResourceChanged">False when the document is unchanged, e.g. a membership-only PATCH.</param>
public sealed record PatchOutcome(System.Text.Json.Nodes.JsonObject Resource, MembershipChange? Members, bool ResourceChanged);
