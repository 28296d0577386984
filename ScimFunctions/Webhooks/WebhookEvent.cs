using System.Text.Json.Nodes;

namespace ScimFunctions.Webhooks;

/// <summary>One event made from a change row: <see cref="Id"/> is stable across attempts (the <c>webhook-id</c>).</summary>
public sealed record WebhookEvent(string Id, string Type, string DirectoryId, DateTimeOffset OccurredAt, string ChangeKey, JsonObject Data)
{
    /// <summary>The body sent: Standard Webhooks' <c>type</c>, <c>timestamp</c> and <c>data</c>, plus our id, directory and time of change.</summary>
    public string Body(DateTimeOffset sentAt) => new JsonObject
    {
        ["id"] = Id,
        ["type"] = Type,
        ["directoryId"] = DirectoryId,
        ["occurredAt"] = OccurredAt.UtcDateTime.ToString("O"),
        ["timestamp"] = sentAt.UtcDateTime.ToString("O"),
        ["data"] = Data.DeepClone(),
    }.ToJsonString();
}
