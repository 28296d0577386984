using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>The scale step's part of the matrix: every storage call of every write route with the four kinds of
/// fault the default run's turn does not give it, so that together each call meets every kind. Alone in its
/// collection: its hundreds of cases would otherwise slow the scale step's other tests, some bounded in time.</summary>
[Trait("Category", "Scale")]
[Collection(FaultMatrixEveryKindCollection.Name)]
public sealed class WriteRouteFaultMatrixEveryKindTests(FaultMatrixHost fixture) : IClassFixture<FaultMatrixHost>
{
    public static TheoryData<string, int, StorageFault> RouteCallsWithTheOtherKinds
    {
        get
        {
            var data = new TheoryData<string, int, StorageFault>();
            foreach (var route in WriteRoutes.All)
            {
                for (var call = 0; call < route.StorageCalls; call++)
                {
                    foreach (var kind in FaultAtCall.Kinds.Where(kind => kind != FaultAtCall.DefaultKindAt(call))) data.Add(route.Name, call, kind);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RouteCallsWithTheOtherKinds))]
    public Task Every_other_kind_of_fault_at_any_storage_call_leaves_the_store_as_before_or_finished_and_the_retry_succeeds(string routeName, int call, StorageFault fault) =>
        FaultAtCall.RunAsync(fixture, routeName, call, fault);
}
