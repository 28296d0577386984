using ScimFunctions.Caching;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// Decides whether a membership change of a group can change anyone's roles. It cannot when no mapping names the
/// group, by id or by its current displayName (a default role is no exception: a group that maps to nothing
/// changes neither the mapped roles nor whether the default applies). Then the change may be written without its
/// users' outbox rows and without a recompute prompt, under an <see cref="OutboxWaiver"/> valid for
/// <see cref="RoleOptions.MembershipWaiverWindow"/> from the configuration read it rests on.
/// <para>
/// The race with a mapping change committing after that read is closed on the fan-out side: the mapping change
/// (or a rename) writes <c>groupOutbox|{groupId}</c> with itself, and the group's fan-out, after its full pass,
/// reads the rows written since that row once more, <see cref="RoleOptions.FanOutSettle"/> after it — by then
/// every waived transaction that could have missed the mapping has committed or failed: the member rows (a waived
/// add) and the group's removals in the change log (a waived removal of a member the full pass had just granted
/// the roles). A name mapping
/// committed while no group carries the name writes no such row; a group that takes the name later by a rename
/// writes its own, and one created with it gets no waiver on a configuration read from before its creation
/// (<see cref="RoleOptions.WaiverClockSlack"/>), so it is never waived on a read that may miss the mapping.
/// </para>
/// Cost: the configuration read (1 range read) at most once per directory per
/// <see cref="RoleOptions.WaiverConfigurationLifetime"/> in this process; nothing per request otherwise.
/// </summary>
public sealed class MembershipWaivers
{
    private sealed record Snapshot(RoleConfiguration Configuration, DateTimeOffset ReadFrom);

    private readonly RoleStore _roles;
    private readonly RoleOptions _options;
    private readonly TimeProvider _time;
    private readonly CollapsingCache<string, Snapshot> _snapshots;

    public MembershipWaivers(RoleStore roles, RoleOptions options, TimeProvider time)
    {
        _roles = roles;
        _options = options;
        _time = time;
        _snapshots = new CollapsingCache<string, Snapshot>(time, _ => options.WaiverConfigurationLifetime, capacity: 10_000);
    }

    /// <summary>A waiver for a membership change of the group, or null when its members' roles may change.</summary>
    public async Task<OutboxWaiver?> ForGroupAsync(string directoryId, string groupId, string? displayName, DateTimeOffset groupCreated, CancellationToken cancellationToken)
    {
        var snapshot = await _snapshots.GetAsync(directoryId, async directory =>
        {
            var from = _time.GetUtcNow();
            return new Snapshot(await _roles.ReadConfigurationAsync(directory, CancellationToken.None), from);
        }, cancellationToken);
        if (groupCreated > snapshot.ReadFrom - _options.WaiverClockSlack) return null;
        if (MayGrantRoles(snapshot.Configuration, groupId, displayName)) return null;
        var until = snapshot.ReadFrom + _options.MembershipWaiverWindow;
        return _time.GetUtcNow() < until ? new OutboxWaiver(snapshot.ReadFrom, until) : null;
    }

    private static bool MayGrantRoles(RoleConfiguration configuration, string groupId, string? displayName) =>
        configuration.Mappings.Any(mapping => mapping.Match == GroupMatch.Id
            ? string.Equals(mapping.Group, groupId, StringComparison.Ordinal)
            : displayName is null || PartitionLayout.Folded(mapping.Group) == PartitionLayout.Folded(displayName));
}
