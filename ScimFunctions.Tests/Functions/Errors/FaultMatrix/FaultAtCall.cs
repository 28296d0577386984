using System.Net;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>
/// One case of the fault matrix: a write route with a fault of one kind at one of its storage calls (every call of
/// every route, each kind in turn in the default run, <see cref="WriteRouteFaultMatrixTests"/>, the other kinds in
/// the scale step, <see cref="WriteRouteFaultMatrixEveryKindTests"/>). The contract: an answer is a 503 with Retry-After and an error body, and then the store is exactly as before
/// (rows the outbox sweep finishes aside) and the same request retried succeeds; or, when the fault hit a call
/// after the route's commit, the answer is a success and the background finishes the rest (a route that must
/// commit in steps says why in <see cref="WriteRoute.Stepwise"/>; its 503 may leave steps done, which the retry
/// finishes). Either way the
/// settled store has the shape of a clean run: no duplicate, no missing index row, one change row per
/// committed change, counts right. A case that passed removes its rows (<see cref="CaseRows"/>).
/// </summary>
public static class FaultAtCall
{
    public static readonly StorageFault[] Kinds =
        [StorageFault.Status503, StorageFault.Timeout, StorageFault.ConnectionRefused, StorageFault.Status500, StorageFault.DroppedConnection];

    /// <summary>The default run gives each call one kind, in turn, to keep it short; the scale step the others.</summary>
    public static StorageFault DefaultKindAt(int call) => Kinds[call % Kinds.Length];

    public static async Task RunAsync(FaultMatrixHost fixture, string routeName, int call, StorageFault fault)
    {
        var route = WriteRoutes.Named(routeName);
        var (calls, clean) = await fixture.CleanRunAsync(route);
        var context = await fixture.ArrangeAsync(route, $"{route.Name}-{call}");
        var before = await StoreSnapshot.TakeAsync(context);

        var what = $"{route.Name}, {fault} at call {call} ({(call < calls.Count ? calls[call] : "beyond the clean run")})";
        fixture.Faults.ArmCallIndex(fault, call);
        RouteAnswer answer;
        try
        {
            answer = await route.Act(context);
        }
        finally
        {
            fixture.Faults.Disarm();
        }

        var after = await StoreSnapshot.TakeAsync(context);
        if (answer.IsSuccess)
        {
            await fixture.SettleAsync(context);
        }
        else
        {
            AssertUnavailable(answer, what);
            await fixture.SettleAsync(context);
            if (route.FinishedBySweep is not null && Changes(before, after).Count > 0)
            {
                AssertShape(clean, await StoreSnapshot.TakeAsync(context), $"{what}, settled before any retry");
            }
            else if (route.Stepwise is null)
            {
                AssertSame(before, after, what);
            }
            var retried = await route.Act(context);
            Assert.True(retried.IsSuccess, $"{what}: the retry answered {retried}.");
            await fixture.SettleAsync(context);
        }
        var settled = await StoreSnapshot.TakeAsync(context);
        AssertShape(clean, settled, what);
        await CaseRows.RemoveAsync(context, settled.DirectoryIds);
    }

    private static List<string> Changes(StoreSnapshot before, StoreSnapshot after) =>
        before.Rows.Keys.Union(after.Rows.Keys)
            .Where(key => before.Rows.GetValueOrDefault(key) != after.Rows.GetValueOrDefault(key))
            .Select(key => $"{key}: {before.Rows.GetValueOrDefault(key) ?? "(none)"} -> {after.Rows.GetValueOrDefault(key) ?? "(none)"}")
            .ToList();

    private static void AssertSame(StoreSnapshot before, StoreSnapshot after, string what)
    {
        var changed = Changes(before, after);
        Assert.True(changed.Count == 0, $"{what}: answered 503 but changed{Environment.NewLine}{string.Join(Environment.NewLine, changed)}");
    }

    private static void AssertShape(StoreSnapshot clean, StoreSnapshot settled, string what)
    {
        var missing = clean.Shape.ToList();
        var extra = new List<string>();
        foreach (var row in settled.Shape)
        {
            if (!missing.Remove(row)) extra.Add(row);
        }
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{what}: once settled the store differs from a clean run's.{Environment.NewLine}Missing: {string.Join(" | ", missing)}{Environment.NewLine}Extra: {string.Join(" | ", extra)}");
    }

    private static void AssertUnavailable(RouteAnswer answer, string what)
    {
        Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable, $"{what}: answered {answer}.");
        Assert.True(answer.RetryAfter > TimeSpan.Zero, $"{what}: no Retry-After.");
        Assert.Equal("503", answer.Body?["status"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(answer.Body?["detail"]?.GetValue<string>()), $"{what}: no error detail.");
    }
}
