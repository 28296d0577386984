namespace ScimFunctions.ChangeFeed;

/// <summary>One entry of the change feed: what changed (the app reads its current state if it cares). Role
/// changes carry the role keys before and after (null on rows written before they were recorded).</summary>
public sealed record ChangeEntry(
    string Kind,
    string Operation,
    string Id,
    DateTimeOffset At,
    IReadOnlyList<string>? AddedUserIds,
    IReadOnlyList<string>? RemovedUserIds,
    IReadOnlyList<string>? RolesBefore = null,
    IReadOnlyList<string>? RolesAfter = null);
