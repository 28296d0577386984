namespace ScimFunctions.Functions.Http;

/// <summary>The error response a failure gets: status, RFC 7644 <c>scimType</c> (when one applies) and detail.</summary>
public sealed record HttpError(int Status, string? ScimType, string Detail)
{
    /// <summary>A short machine-readable name of the failure, where one is more precise than the status (the portal shows it).</summary>
    public string? Code { get; init; }

    /// <summary>A retryable outage: answered with <c>Retry-After</c>.</summary>
    public bool IsTransient => Status == 503;

    /// <summary>The client must slow down: answered with <c>Retry-After</c> too.</summary>
    public bool IsThrottled => Status == 429;

    /// <summary>A missing or rejected credential: answered with <c>WWW-Authenticate</c>.</summary>
    public bool IsChallenge => Status == 401;
}
