namespace ScimFunctions.Provisioning;

/// <summary>How much a page carries (see <see cref="ScimLimits.MaxMembersPerPage"/> for groups,
/// <see cref="ScimLimits.MaxGroupsPerPage"/> for users); tests lower it.</summary>
public sealed record ListPageOptions
{
    public int MaxMembersPerPage { get; init; } = ScimLimits.MaxMembersPerPage;

    public int MaxGroupsPerPage { get; init; } = ScimLimits.MaxGroupsPerPage;
}
