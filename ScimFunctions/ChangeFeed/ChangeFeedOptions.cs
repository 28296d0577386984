namespace ScimFunctions.ChangeFeed;

/// <summary>Tuning of the change feed; the defaults suit production.</summary>
public sealed class ChangeFeedOptions
{
    /// <summary>The configuration section the options are bound from (<c>ChangeFeed__Retention</c>, …).</summary>
    public const string Section = "ChangeFeed";

    /// <summary>The change feed shows only changes stamped at least this long ago, so a write stamped earlier
    /// but committed later (retries, clock skew between instances) is never skipped by a cursor.</summary>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Change-log rows older than this are pruned; older cursors must resynchronise.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
