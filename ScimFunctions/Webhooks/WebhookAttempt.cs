namespace ScimFunctions.Webhooks;

/// <summary>One delivery attempt, as the delivery log keeps it: no body, no headers, no secret.</summary>
public sealed record WebhookAttempt(
    string AttemptId,
    DateTimeOffset At,
    string DirectoryId,
    string EventId,
    string EventType,
    string ChangeKey,
    int? StatusCode,
    TimeSpan Duration,
    string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
