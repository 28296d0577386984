namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>
/// One write route of the matrix: what it needs first (<see cref="Arrange"/>, run without faults), the request
/// itself (<see cref="Act"/>, sent again unchanged as the retry) and how many storage calls a clean run makes
/// (tables, queues and the token-hash store), which is also how many faulted cases it has.
/// </summary>
public sealed record WriteRoute(string Name, int StorageCalls, Func<RouteContext, Task> Arrange, Func<RouteContext, Task<RouteAnswer>> Act)
{
    /// <summary>A retry of a committed request answers this instead of success (a delete of what is gone).</summary>
    public System.Net.HttpStatusCode? RetryAfterCommit { get; init; }

    public override string ToString() => Name;
}
