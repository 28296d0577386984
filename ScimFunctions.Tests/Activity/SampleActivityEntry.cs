using ScimFunctions.Activity;

namespace ScimFunctions.Tests.Activity;

/// <summary>A plain successful <c>GET /Users</c> entry, for tests that write log rows directly.</summary>
internal static class SampleActivityEntry
{
    public static ActivityEntry At(string directoryId, DateTimeOffset at, bool authenticated = false) => new()
    {
        DirectoryId = directoryId,
        RequestId = Guid.NewGuid().ToString("N")[..16],
        At = at,
        Method = "GET",
        Route = "Users",
        ResourceType = "Users",
        Status = 200,
        DurationMs = 1,
        Authenticated = authenticated,
    };
}
