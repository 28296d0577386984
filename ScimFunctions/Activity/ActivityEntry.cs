namespace ScimFunctions.Activity;

/// <summary>
/// One SCIM request as the log keeps it. Only what diagnoses a connection: never a token, hash, key or cookie,
/// never a client value (names, emails, userNames): the filter's string literals are masked, the body is kept
/// as attribute names, the error detail is rebuilt without client values.
/// </summary>
public sealed record ActivityEntry
{
    public required string DirectoryId { get; init; }
    public required string RequestId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Method { get; init; }

    /// <summary>The route under the SCIM base, e.g. <c>Users/{id}</c>.</summary>
    public required string Route { get; init; }

    /// <summary>The first route segment: <c>Users</c>, <c>Groups</c>, <c>Schemas</c>, …</summary>
    public required string ResourceType { get; init; }

    /// <summary>The id in the route when it is a server id (other text from the URL is not kept).</summary>
    public string? ResourceId { get; init; }

    public string? Filter { get; init; }
    public required int Status { get; init; }
    public string? ScimType { get; init; }
    public string? Detail { get; init; }
    public ActivityHint? Hint { get; init; }
    public required double DurationMs { get; init; }

    /// <summary>The token that authenticated the request, or the token id a rejected one carried.</summary>
    public string? TokenId { get; init; }

    public bool Authenticated { get; init; }
    public string? UserAgent { get; init; }

    /// <summary>The directory's identity provider, as configured (filled in by the writer).</summary>
    public string? Provider { get; init; }
    public IReadOnlyList<string> Attributes { get; init; } = [];
    public IReadOnlyList<string> ChangedIds { get; init; } = [];

    /// <summary>Discovery (<c>ServiceProviderConfig</c>, <c>Schemas</c>, <c>ResourceTypes</c>) needs no token.</summary>
    public bool IsDiscovery => ResourceType is "ServiceProviderConfig" or "Schemas" or "ResourceTypes";

    /// <summary>Whether the request went wrong from the admin's point of view (a 404 is a normal answer to a probe).</summary>
    public bool IsError => Status >= 400 && Status != 404;

    /// <summary>An authenticated request the service answered as asked.</summary>
    public bool IsSuccess => Authenticated && !IsError;

    /// <summary>What the request did, e.g. <c>PATCH Groups/{id}</c>.</summary>
    public string Kind => Method + " " + Route;
}
