using System.Text.Json;

namespace ScimFunctions.Webhooks;

/// <summary>A delivery-queue message: without an endpoint, "this directory changed" (fanned out to its
/// endpoints); with one, "deliver this endpoint's backlog of this directory".</summary>
public sealed record WebhookMessage(string DirectoryId, string? EndpointId = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static WebhookMessage Parse(string text) =>
        JsonSerializer.Deserialize<WebhookMessage>(text, Json) is { DirectoryId.Length: > 0 } message ? message : throw new FormatException("Not a webhook message.");
}
