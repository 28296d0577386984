namespace ScimFunctions.Portal;

/// <summary>What a portal link (and the sessions redeemed from it) may do. Directory links carry a subset of
/// <see cref="DirectoryScopes"/>; an operator link carries <see cref="Operator"/> alone and may do everything.</summary>
public static class PortalScopes
{
    public const string Setup = "setup";
    public const string Tokens = "tokens";
    public const string Roles = "roles";
    public const string Users = "users";
    public const string Activity = "activity";
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> DirectoryScopes = [Setup, Tokens, Roles, Users, Activity];

    /// <summary>Known scopes, deduplicated, in the order of <see cref="DirectoryScopes"/>; null when one is unknown or none is given.</summary>
    public static IReadOnlyList<string>? Normalise(IEnumerable<string> scopes, bool operatorLink)
    {
        var wanted = scopes.ToHashSet(StringComparer.Ordinal);
        if (operatorLink) return wanted.SetEquals([Operator]) ? [Operator] : null;
        if (wanted.Count == 0 || !wanted.IsSubsetOf(DirectoryScopes)) return null;
        return DirectoryScopes.Where(wanted.Contains).ToList();
    }
}
