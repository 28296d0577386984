namespace ScimFunctions.Roles;

/// <summary>Tuning of role recomputation; the defaults suit production.</summary>
public sealed class RoleOptions
{
    /// <summary>The configuration section the options are bound from (<c>Roles__SweepAge</c>, …).</summary>
    public const string Section = "Roles";

    /// <summary>Outbox rows older than this are re-enqueued by the sweep: long enough that the signal sent right
    /// after the change has normally been handled, short enough that a lost signal heals within minutes.</summary>
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Users recomputed at once within one message.</summary>
    public int MaxParallelUsers { get; set; } = 8;

    /// <summary>Rows a fan-out message reads per page (users, members or holders); each page becomes
    /// ⌈page / 256⌉ user messages plus one continuation.</summary>
    public int FanOutPageSize { get; set; } = 1000;

    /// <summary>host.json's <c>extensions.queues.maxDequeueCount</c>: the try that reaches it is the last before the
    /// poison queue, so the handler records the failure in the directory's health (a contract test keeps them equal).</summary>
    public int MaxDequeueCount { get; set; } = 5;
}
