namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>
/// One write route of the matrix: what it needs first (<see cref="Arrange"/>, run without faults), the request
/// itself (<see cref="Act"/>, sent again unchanged as the retry) and how many storage calls a clean run makes
/// (tables, queues and the token-hash store), which is also how many faulted cases it has.
/// </summary>
public sealed record WriteRoute(string Name, int StorageCalls, Func<RouteContext, Task> Arrange, Func<RouteContext, Task<RouteAnswer>> Act)
{
    /// <summary>
    /// Why the route commits in steps that a 503 may leave partly done (null: it never does). Each step is
    /// ordered so that what is done so far is safe, and the retry of the same request finishes the rest.
    /// </summary>
    public string? Stepwise { get; init; }

    /// <summary>
    /// Why the route's 503 may leave its first step done, recorded so that the background sweep finishes the
    /// rest with no retry (null: it never does). The matrix settles such a case before retrying and expects the
    /// clean run's store already.
    /// </summary>
    public string? FinishedBySweep { get; init; }

    public override string ToString() => Name;
}
