namespace ScimFunctions.Activity;

/// <summary>One of the latest requests, as the connection status remembers it.</summary>
public sealed record RecentRequest(DateTimeOffset At, int Status, bool IsError, string? HintCode, string? HintText);
