using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Directories;
using ScimFunctions.Provisioning;
using ScimFunctions.Roles;
using ScimFunctions.Scim;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Provisioning;
using ScimFunctions.Tests.Storage;
using ScimFunctions.Tests.TestSupport;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Tests.Webhooks;

/// <summary>
/// The event builder shares state reads between events and endpoints' runs, and never serves a change's event
/// state read before the change committed. Writes go through <see cref="ProvisioningFixture"/>; the builder reads
/// through its own client, counted and able to hold a read in flight.
/// </summary>
public sealed class WebhookEventBuilderTests
{
    private sealed class World
    {
        public required ProvisioningFixture Writes { get; init; }
        public required WebhookEventBuilder Builder { get; init; }
        public required ChangeLogStore Changes { get; init; }
        public required RoundTripCounter Reads { get; init; }
        public required HeldAnswerPolicy Held { get; init; }
        public string Directory => Writes.Scope.DirectoryId;

        /// <summary>The directory's change rows of <paramref name="userId"/>, oldest first (uncounted).</summary>
        public async Task<List<(string Key, ChangeEntry Entry)>> UserChangesAsync(string userId)
        {
            var (rows, _) = await Changes.ReadAsync(Directory, null, PartitionLayout.ChangeFloor(DateTimeOffset.UtcNow.AddMinutes(1)), 1000, CancellationToken.None);
            Reads.Reset();
            return rows.Where(r => r.Entry.Kind == ChangeLog.UserKind && r.Entry.Id == userId).ToList();
        }

        /// <summary>What one endpoint's run does for a change: observe its row, then build its event.</summary>
        public async Task<WebhookEvent> RunAsync((string Key, ChangeEntry Entry) change)
        {
            await Builder.ObserveAsync(Directory, [change.Key], CancellationToken.None);
            return await Builder.BuildAsync(Directory, change.Key, change.Entry, Builder.Expand(change.Entry).Single(), CancellationToken.None);
        }
    }

    private static async Task<World> CreateAsync()
    {
        var writes = await ProvisioningFixture.CreateAsync();
        var reads = new RoundTripCounter();
        var held = new HeldAnswerPolicy();
        var options = new TableClientOptions();
        options.AddPolicy(reads, HttpPipelinePosition.PerRetry);
        options.AddPolicy(held, HttpPipelinePosition.PerRetry);
        var storage = new ScimStorageOptions { TableName = StoreFixture.TableName };
        var data = new ScimDataTable(new TableServiceClient(TestStorage.ConnectionString, options), storage);
        var store = new ScimStore(data, storage);
        var builder = new WebhookEventBuilder(new GetResourceQuery(store, new ResourceRenderer(store)), new RoleStore(data, TimeProvider.System), new DirectoryOptions(), TimeProvider.System);
        return new World { Writes = writes, Builder = builder, Changes = new ChangeLogStore(data), Reads = reads, Held = held };
    }

    private static JsonObject Replace(string path, string value) =>
        ProvisioningFixture.Patch(new JsonObject { ["op"] = "replace", ["path"] = path, ["value"] = value });

    [Fact]
    public async Task Three_endpoints_events_for_one_change_cost_one_state_read()
    {
        var w = await CreateAsync();
        var userId = await w.Writes.NewUserAsync("shared");
        var created = Assert.Single(await w.UserChangesAsync(userId));

        var first = await w.RunAsync(created);
        var oneRead = w.Reads.Total;
        var others = await Task.WhenAll(w.RunAsync(created), w.RunAsync(created));

        Assert.True(oneRead >= 2, $"the first event reads the user and its role row ({oneRead} round trips)");
        Assert.Equal(oneRead, w.Reads.Total);
        Assert.All(others, e => Assert.Equal(first.Data.ToJsonString(), e.Data.ToJsonString()));
        Assert.Equal("shared", first.Data["user"]!["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_changing_its_copy_of_the_state_changes_no_other_events()
    {
        var w = await CreateAsync();
        var userId = await w.Writes.NewUserAsync("copied");
        var created = Assert.Single(await w.UserChangesAsync(userId));
        var first = await w.RunAsync(created);
        var second = await w.RunAsync(created);

        first.Data["user"]!["userName"] = "changed";
        first.Data["user"]!["roles"]!.AsArray().Add("admin");
        first.Data["user"]!.AsObject().Remove("emails");
        var third = await w.RunAsync(created);

        foreach (var other in new[] { second, third })
        {
            Assert.Equal("copied", other.Data["user"]!["userName"]!.GetValue<string>());
            Assert.Empty(other.Data["user"]!["roles"]!.AsArray());
            Assert.NotNull(other.Data["user"]!["emails"]);
        }
    }

    [Fact]
    public async Task A_change_committed_after_a_shared_read_gets_a_read_of_its_own()
    {
        var w = await CreateAsync();
        var userId = await w.Writes.NewUserAsync("before");
        var created = Assert.Single(await w.UserChangesAsync(userId));
        var createdEvent = await w.RunAsync(created);

        await w.Writes.PatchUser.ExecuteAsync(w.Writes.Scope, userId, Replace("displayName", "After"), null, AttributeSelection.All, false, default);
        var updated = (await w.UserChangesAsync(userId))[^1];
        var updatedEvent = await w.RunAsync(updated);

        Assert.Null(createdEvent.Data["user"]!["displayName"]);
        Assert.Equal("After", updatedEvent.Data["user"]!["displayName"]!.GetValue<string>());
        Assert.True(w.Reads.Total >= 2, "the update's event read the user again");
    }

    [Fact]
    public async Task A_read_answered_before_a_change_committed_is_not_joined_by_that_changes_event_while_in_flight()
    {
        var w = await CreateAsync();
        var userId = await w.Writes.NewUserAsync("inflight");
        var created = Assert.Single(await w.UserChangesAsync(userId));

        // One endpoint's run reads the user for its creation; storage answers, the answer is held.
        w.Held.HoldNextRead();
        var createdEvent = w.RunAsync(created);
        await w.Held.Answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The user changes; another run sees the change row and builds its event while the old read is in flight.
        await w.Writes.PatchUser.ExecuteAsync(w.Writes.Scope, userId, Replace("displayName", "Changed"), null, AttributeSelection.All, false, default);
        var updated = (await w.UserChangesAsync(userId))[^1];
        // Up to its first wait, the run has either joined the held read or begun its own; then the hold ends.
        var updatedEvent = w.RunAsync(updated);
        w.Held.Release.SetResult();

        Assert.Null((await createdEvent).Data["user"]!["displayName"]);
        Assert.Equal("Changed", (await updatedEvent).Data["user"]!["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_of_changes_one_run_observed_together_share_a_read()
    {
        var w = await CreateAsync();
        var userId = await w.Writes.NewUserAsync("batch");
        await w.Writes.PatchUser.ExecuteAsync(w.Writes.Scope, userId, Replace("displayName", "Batch"), null, AttributeSelection.All, false, default);
        var changes = await w.UserChangesAsync(userId);
        Assert.Equal(2, changes.Count);

        await w.Builder.ObserveAsync(w.Directory, changes.Select(c => c.Key), CancellationToken.None);
        var first = await w.Builder.BuildAsync(w.Directory, changes[0].Key, changes[0].Entry, w.Builder.Expand(changes[0].Entry).Single(), CancellationToken.None);
        var oneRead = w.Reads.Total;
        var second = await w.Builder.BuildAsync(w.Directory, changes[1].Key, changes[1].Entry, w.Builder.Expand(changes[1].Entry).Single(), CancellationToken.None);

        Assert.Equal(oneRead, w.Reads.Total);
        Assert.Equal("Batch", first.Data["user"]!["displayName"]!.GetValue<string>());
        Assert.Equal("Batch", second.Data["user"]!["displayName"]!.GetValue<string>());
    }
}
