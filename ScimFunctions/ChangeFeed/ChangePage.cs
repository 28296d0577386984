namespace ScimFunctions.ChangeFeed;

/// <summary>A page of the change feed; <see cref="More"/> says another page is ready now.</summary>
public sealed record ChangePage(IReadOnlyList<ChangeEntry> Changes, string Cursor, bool More);
