namespace ScimFunctions.Roles;

/// <summary>What a user's roles follow: whether it exists and is active (null: it does not exist), and its groups.</summary>
public sealed record RecomputeInputs(bool? Active, IReadOnlyList<string> GroupIds);
