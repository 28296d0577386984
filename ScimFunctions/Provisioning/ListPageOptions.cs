namespace ScimFunctions.Provisioning;

/// <summary>How much a page of groups carries (see <see cref="ScimLimits.MaxMembersPerPage"/>); tests lower it.</summary>
public sealed record ListPageOptions
{
    public int MaxMembersPerPage { get; init; } = ScimLimits.MaxMembersPerPage;
}
