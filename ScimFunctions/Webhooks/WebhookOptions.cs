namespace ScimFunctions.Webhooks;

/// <summary>Tuning of webhook delivery (section <c>Webhooks</c>); the defaults suit production, tests shorten the delays.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Azure queues hide a message for at most 7 days, so no retry delay may be longer.</summary>
    public static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(7);

    /// <summary>The table holding endpoints, their delivery state and delivery log.</summary>
    public string TableName { get; set; } = "ScimWebhooks";

    /// <summary>Only change rows stamped at least this long ago are delivered, so a write stamped earlier but
    /// committed later is not skipped by an endpoint's cursor (the change feed's reasoning, with a shorter
    /// window: a delivery is prompted this long after the commit).</summary>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromSeconds(5);

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
