namespace ScimFunctions.Webhooks;

/// <summary>Tuning of webhook delivery (section <c>Webhooks</c>); the defaults suit production, tests shorten the delays.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Azure queues hide a message for at most 7 days, so no retry delay may be longer.</summary>
    public static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(7);

    /// <summary>The table holding endpoints, their delivery state and delivery log.</summary>
    public string TableName { get; set; } = "ScimWebhooks";

    /// <summary>Only change rows stamped at least this long ago are delivered in order, so a write stamped earlier
    /// but committed a little later is not passed by an endpoint's cursor. It must exceed a write's usual time from
    /// stamp to commit plus the clock skew between instances; it is what a delivery waits, so it is short. A write
    /// slower than this (storage retries, a stalled instance) is caught by <see cref="LateCommitWindow"/>.</summary>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every run also reads this far behind its cursor for rows storage committed after the previous run
    /// read (their <c>Timestamp</c>), and delivers them: a write whose commit took longer than the settle window is
    /// late, never lost. The change feed's settle window (90 s) bounds a write's stamp-to-commit time the same way.</summary>
    public TimeSpan LateCommitWindow { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How much earlier than the previous read the late-commit read looks (skew between this instance's
    /// clock and the storage service's, which stamps <c>Timestamp</c>).</summary>
    public TimeSpan LateCommitMargin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one delivery may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry delay; each failure doubles it (full jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>After failing this long without a success, an endpoint's directory is marked failing and no
    /// longer retried; its events stay in the change log for a replay.</summary>
    public TimeSpan MaxRetryAge { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Change rows read per delivery run (each may make several events).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>How long a delivery run holds an endpoint's directory; another instance takes over after it,
    /// so it must exceed a run's longest time (<see cref="BatchSize"/> slow answers are cut by the run's budget).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the previous secret keeps signing after a rotation, unless the rotation says otherwise.</summary>
    public TimeSpan DefaultSecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Delivery-log rows older than this are pruned daily.</summary>
    public int LogRetentionDays { get; set; } = 30;

    /// <summary>How often an instance sends the delivery prompts its SCIM writes collected (no request waits on them).</summary>
    public TimeSpan PromptInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
