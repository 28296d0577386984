namespace ScimFunctions.Roles;

/// <summary>
/// One user's recompute result, to commit in one transaction: the new role set (<see cref="Wanted"/>) replacing
/// <see cref="Previous"/> at <see cref="Version"/>, or, for a user that is gone, the removal of its assignment.
/// <see cref="LogChange"/> asks for a change-log row.
/// </summary>
public sealed record AssignmentChange(
    string UserId,
    IReadOnlyList<string> Previous,
    IReadOnlyList<string> Wanted,
    long Version,
    bool UserGone,
    bool LogChange,
    DateTimeOffset At);
