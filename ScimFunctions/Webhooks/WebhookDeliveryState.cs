namespace ScimFunctions.Webhooks;

/// <summary>
/// One endpoint's delivery of one directory: the change-log <see cref="Position"/> delivered up to, the run
/// holding it (<see cref="LeaseUntil"/>), and the retry state of a failing receiver. <see cref="Failing"/>
/// means retries stopped after <see cref="WebhookOptions.MaxRetryAge"/>; a replay starts them again.
/// <see cref="LastReadAt"/> is when the last successful run read the log: a row behind the cursor committed after
/// it was late (see <see cref="WebhookOptions.LateCommitWindow"/>).
/// </summary>
public sealed record WebhookDeliveryState(
    string DirectoryId,
    string Position,
    int Attempts,
    DateTimeOffset? FirstFailureAt,
    DateTimeOffset? NextAttemptAt,
    bool Failing,
    DateTimeOffset? LeaseUntil,
    string? LastError,
    DateTimeOffset? LastSuccessAt,
    string? ETag,
    DateTimeOffset? LastReadAt = null)
{
    public static WebhookDeliveryState Initial(string directoryId, string position) =>
        new(directoryId, position, 0, null, null, false, null, null, null, null);

    public bool IsLeased(DateTimeOffset now) => LeaseUntil is { } until && until > now;

    public bool IsWaitingToRetry(DateTimeOffset now) => NextAttemptAt is { } next && next > now;
}
