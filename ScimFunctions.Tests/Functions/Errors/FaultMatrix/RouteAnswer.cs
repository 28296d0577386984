using System.Net;
using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>What a write route answered: status, Retry-After, media type and body.</summary>
public sealed record RouteAnswer(HttpStatusCode Status, TimeSpan? RetryAfter, string? MediaType, JsonNode? Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string Id => Body!["id"]!.GetValue<string>();

    public override string ToString() => $"{(int)Status} {Body?.ToJsonString()}";
}
