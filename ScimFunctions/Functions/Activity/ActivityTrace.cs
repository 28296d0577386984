using System.Text.Json.Nodes;
using ScimFunctions.Auth;

namespace ScimFunctions.Functions.Activity;

/// <summary>What the edge learns about one SCIM request while it runs, kept in the request's items until it completes.</summary>
public sealed class ActivityTrace
{
    public required string DirectoryId { get; init; }
    public required string RequestId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required long StartedTimestamp { get; init; }
    public required string Method { get; init; }
    public required string Route { get; init; }
    public required string ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string? QueryFilter { get; init; }
    public string? UserAgent { get; init; }

    public string? TokenId { get; set; }
    public bool Authenticated { get; set; }
    public ScimAuthFailure? AuthFailure { get; set; }
    public JsonObject? Body { get; set; }
    public Exception? Exception { get; set; }
}
