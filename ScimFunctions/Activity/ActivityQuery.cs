namespace ScimFunctions.Activity;

/// <summary>What <c>GET …/requests</c> asks for: a page of a directory's requests, newest first, narrowed by
/// status class (2, 4 or 5 for 2xx, 4xx, 5xx), method, resource (a type such as <c>Users</c>, or a resource id)
/// and time.</summary>
public sealed record ActivityQuery
{
    public const int DefaultCount = 50;
    public const int MaxCount = 200;

    public int Count { get; init; } = DefaultCount;
    public int? StatusClass { get; init; }
    public string? Method { get; init; }
    public string? Resource { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public ActivityCursor? After { get; init; }
}
