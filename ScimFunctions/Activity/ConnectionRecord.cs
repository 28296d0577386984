namespace ScimFunctions.Activity;

/// <summary>
/// The per-directory status row: the last request, the last success and a window of the latest requests.
/// The writer folds each flush's entries into it (one read and one write per directory per flush), so the
/// status never needs a scan of the log.
/// </summary>
public sealed record ConnectionRecord
{
    public DateTimeOffset? LastRequestAt { get; init; }
    public string? LastRequestKind { get; init; }
    public int? LastRequestStatus { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public string? LastSuccessKind { get; init; }
    public IReadOnlyList<RecentRequest> Recent { get; init; } = [];

    // Setup milestones, each set once by the first request that reaches it (what the portal's checklist follows).

    /// <summary>The first authenticated request (an IdP's "test connection" or enable probe).</summary>
    public DateTimeOffset? ProbeAt { get; init; }

    /// <summary>The first user created (a successful <c>POST /Users</c>).</summary>
    public DateTimeOffset? FirstUserAt { get; init; }

    /// <summary>The first successful group write that adds or sets members.</summary>
    public DateTimeOffset? FirstMembershipAt { get; init; }

    // What the change log was told (directory.connected / directory.failing), so each change of state is
    // announced once: see ConnectionAnnouncer.

    /// <summary>The connection state last written to the change log; null before the first announcement.</summary>
    public string? AnnouncedState { get; init; }

    /// <summary>A change-log key claimed for announcing <see cref="PendingState"/>, not yet confirmed written.</summary>
    public string? PendingKey { get; init; }

    public string? PendingState { get; init; }

    /// <summary>The stored row's version (null when not stored): status writes are conditional on it.</summary>
    public string? ETag { get; init; }

    /// <summary>This record after <paramref name="entries"/>, keeping the latest <paramref name="window"/> requests.
    /// Discovery requests (no token) move the last request but not the window or the last success.</summary>
    public ConnectionRecord With(IEnumerable<ActivityEntry> entries, int window)
    {
        var record = this;
        var recent = Recent.ToList();
        foreach (var entry in entries.OrderBy(entry => entry.At))
        {
            if (record.LastRequestAt is null || entry.At >= record.LastRequestAt)
            {
                record = record with { LastRequestAt = entry.At, LastRequestKind = entry.Kind, LastRequestStatus = entry.Status };
            }
            if (entry.IsSuccess && (record.LastSuccessAt is null || entry.At >= record.LastSuccessAt))
            {
                record = record with { LastSuccessAt = entry.At, LastSuccessKind = entry.Kind };
            }
            if (entry.Authenticated) record = record with { ProbeAt = Earliest(record.ProbeAt, entry.At) };
            if (entry.IsSuccess && entry.Method == "POST" && entry.Route == "Users") record = record with { FirstUserAt = Earliest(record.FirstUserAt, entry.At) };
            if (entry.IsSuccess && CarriesMembers(entry)) record = record with { FirstMembershipAt = Earliest(record.FirstMembershipAt, entry.At) };
            if (!entry.IsDiscovery) recent.Add(new RecentRequest(entry.At, entry.Status, entry.IsError, entry.Hint?.Code, entry.Hint?.Text));
        }
        return record with { Recent = recent.OrderBy(request => request.At).TakeLast(window).ToList() };
    }

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset at) => current is { } known && known <= at ? known : at;

    /// <summary>A group create or update that adds or sets members: a <c>members</c> attribute (not removed) and a
    /// member id besides the group's own among the changed ids.</summary>
    private static bool CarriesMembers(ActivityEntry entry) =>
        entry.ResourceType == "Groups" && entry.Method is "POST" or "PUT" or "PATCH" && entry.Status < 300
        && entry.ChangedIds.Count > 1
        && entry.Attributes.Any(name => name.StartsWith("members", StringComparison.Ordinal)
            || name.StartsWith("add members", StringComparison.Ordinal) || name.StartsWith("replace members", StringComparison.Ordinal));
}
