namespace ScimFunctions.Roles;

/// <summary>Tuning of role recomputation; the defaults suit production.</summary>
public sealed class RoleOptions
{
    /// <summary>The configuration section the options are bound from (<c>Roles__SweepAge</c>, …).</summary>
    public const string Section = "Roles";

    /// <summary>Outbox rows older than this are re-enqueued by the sweep: long enough that the signal sent right
    /// after the change has normally been handled, short enough that a lost signal heals within minutes.</summary>
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a configuration read stays good for deciding that a group maps to no role, so a
    /// membership change of that group may skip its users' outbox rows and recompute prompt: from the read's
    /// start until the change's last transaction is sent. Cached reads count from when they were made.</summary>
    public TimeSpan MembershipWaiverWindow { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A group created less than this before a configuration read gets no waiver on that read: a name
    /// mapping committed after the read, while no group carried the name, fanned out to no one, and the new group
    /// may carry that name. Covers clock skew between the instance that created the group and the one reading.</summary>
    public TimeSpan WaiverClockSlack { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a cached configuration read is reused for that decision (shorter than the window).</summary>
    public TimeSpan WaiverConfigurationLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After a group's fan-out row was written (mapping change, rename), its fan-out reads the members
    /// written since then once more, this long after: longer than <see cref="MembershipWaiverWindow"/> plus the
    /// longest a storage transaction runs (<see cref="LongestTransaction"/>) plus clock skew between instances,
    /// so a membership change waived on a configuration read from before the mapping change is still reached.</summary>
    public TimeSpan FanOutSettle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest the Table service works on one request (its server timeout is at most 30 s).</summary>
    public static readonly TimeSpan LongestTransaction = TimeSpan.FromSeconds(30);

    /// <summary>Users recomputed at once within one message.</summary>
    public int MaxParallelUsers { get; set; } = 8;

    /// <summary>Rows a fan-out message reads per page (users, members or holders); each page becomes
    /// ⌈page / 256⌉ user messages plus one continuation.</summary>
    public int FanOutPageSize { get; set; } = 1000;

    /// <summary>host.json's <c>extensions.queues.maxDequeueCount</c>: the try that reaches it is the last before the
    /// poison queue, so the handler records the failure in the directory's health (a contract test keeps them equal).</summary>
    public int MaxDequeueCount { get; set; } = 5;
}
