using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Bulk;

namespace ScimFunctions.Tests.Provisioning.Bulk;

public sealed class BulkScheduleTests
{
    private static BulkOperation Post(int index, string bulkId, params string[] references) =>
        new(index, "POST", bulkId, null, "/Groups", new JsonObject
        {
            ["displayName"] = bulkId,
            ["members"] = new JsonArray([.. references.Select(r => (JsonNode)new JsonObject { ["value"] = "bulkId:" + r })]),
        });

    private static List<string> RunOrder(BulkSchedule schedule)
    {
        var order = new List<string>();
        while (schedule.HasPending)
        {
            var (ready, cycle) = schedule.Next();
            Assert.NotNull(ready);
            Assert.Empty(cycle);
            order.Add(ready.BulkId!);
            schedule.Done(ready);
        }
        return order;
    }

    [Fact]
    public void Request_order_holds_except_that_an_operation_waits_for_the_posts_it_refers_to()
    {
        var schedule = new BulkSchedule([Post(0, "a", "c"), Post(1, "b"), Post(2, "c", "b"), Post(3, "d", "a")]);
        Assert.Equal(["b", "c", "a", "d"], RunOrder(schedule));
    }

    [Fact]
    public void References_in_paths_and_patch_values_count_and_unknown_bulkIds_do_not_block()
    {
        var patch = new BulkOperation(0, "PATCH", null, null, "/Users/bulkId:u", new JsonObject
        {
            ["Operations"] = new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = "bulkId:nobody" }) }),
        });
        var schedule = new BulkSchedule([patch, new BulkOperation(1, "POST", "u", null, "/Users", new JsonObject { ["userName"] = "u" })]);
        Assert.Equal(["u", "nobody"], schedule.ReferencesOf(patch));
        Assert.False(schedule.Defines("nobody"));
        var (first, _) = schedule.Next();
        Assert.Equal("u", first!.BulkId);
    }

    [Fact]
    public void A_cycle_is_named_once_every_waiting_operation_waits_on_another()
    {
        var schedule = new BulkSchedule([Post(0, "x", "y"), Post(1, "y", "z"), Post(2, "z", "y"), Post(3, "free")]);
        var (ready, _) = schedule.Next();
        Assert.Equal("free", ready!.BulkId);
        schedule.Done(ready);
        var (none, cycle) = schedule.Next();
        Assert.Null(none);
        Assert.Equal(["y", "z"], cycle.Select(o => o.BulkId));
    }
}
