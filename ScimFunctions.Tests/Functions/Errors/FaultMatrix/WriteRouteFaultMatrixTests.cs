namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>The default run's part of the matrix (see <see cref="FaultAtCall"/>): each route's clean run makes the
/// storage calls its entry lists, and each of those calls gets one kind of fault, the kinds in turn.</summary>
public sealed class WriteRouteFaultMatrixTests(FaultMatrixHost fixture) : IClassFixture<FaultMatrixHost>
{
    public static TheoryData<string> Routes => new(WriteRoutes.All.Select(route => route.Name));

    public static TheoryData<string, int> RouteCalls
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var route in WriteRoutes.All)
            {
                for (var call = 0; call < route.StorageCalls; call++) data.Add(route.Name, call);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_clean_run_makes_exactly_the_listed_storage_calls(string routeName)
    {
        var route = WriteRoutes.Named(routeName);
        var (calls, _) = await fixture.CleanRunAsync(route);
        Assert.True(calls.Count == route.StorageCalls,
            $"{route.Name} made {calls.Count} storage calls; the matrix lists {route.StorageCalls}:{Environment.NewLine}{string.Join(Environment.NewLine, calls)}");
    }

    [Theory]
    [MemberData(nameof(RouteCalls))]
    public Task A_fault_at_any_storage_call_leaves_the_store_as_before_or_finished_and_the_retry_succeeds(string routeName, int call) =>
        FaultAtCall.RunAsync(fixture, routeName, call, FaultAtCall.DefaultKindAt(call));
}
