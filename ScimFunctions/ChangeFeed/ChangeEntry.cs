namespace ScimFunctions.ChangeFeed;

/// <summary>One entry of the change feed: what changed (the app reads its current state if it cares).</summary>
public sealed record ChangeEntry(
    string Kind,
    string Operation,
    string Id,
    DateTimeOffset At,
    IReadOnlyList<string>? AddedUserIds,
    IReadOnlyList<string>? RemovedUserIds);
