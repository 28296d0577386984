namespace ScimFunctions.Activity;

/// <summary>
/// A directory's connection as an admin reads it: <c>waiting</c> (no authenticated request yet),
/// <c>connected</c> (the latest requests mostly succeed), or <c>failing</c> (most of the latest requests, within
/// the window's age, are errors), with the most common hint among them.
/// </summary>
public sealed record ConnectionStatus(string State, ConnectionRecord Record, ActivityHint? CommonHint, int RecentRequests, int RecentErrors)
{
    public const string Waiting = "waiting";
    public const string Connected = "connected";
    public const string Failing = "failing";

    public static ConnectionStatus Of(ConnectionRecord? record, DateTimeOffset now, ActivityOptions options)
    {
        record ??= new ConnectionRecord();
        var recent = record.Recent.Where(request => request.At >= now - options.StatusWindowAge).TakeLast(options.StatusWindow).ToList();
        var errors = recent.Where(request => request.IsError).ToList();
        var common = errors.Where(error => error.HintCode is not null)
            .GroupBy(error => error.HintCode!)
            .OrderByDescending(group => group.Count()).ThenByDescending(group => group.Max(error => error.At))
            .Select(group => group.Last())
            .Select(error => new ActivityHint(error.HintCode!, error.HintText ?? ""))
            .FirstOrDefault();
        var state = recent.Count > 0 && errors.Count * 2 > recent.Count ? Failing
            : record.LastSuccessAt is not null ? Connected
            : Waiting;
        return new ConnectionStatus(state, record, state == Failing ? common : null, recent.Count, errors.Count);
    }
}
