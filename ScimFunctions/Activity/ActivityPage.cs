namespace ScimFunctions.Activity;

/// <summary>A page of a directory's log, newest first, and the cursor of the next page (null at the end).</summary>
public sealed record ActivityPage(IReadOnlyList<ActivityEntry> Entries, ActivityCursor? Next);
