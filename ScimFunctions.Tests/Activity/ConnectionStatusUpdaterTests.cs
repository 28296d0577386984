using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Activity;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Activity;

/// <summary>A change of connection state is recorded in the change log exactly once, whichever step a flush dies at.</summary>
public sealed class ConnectionStatusUpdaterTests : IAsyncLifetime
{
    private RunningLocalHost host = null!;

    public async Task InitializeAsync() => host = await RunningLocalHost.StartAsync(options =>
    {
        options.RunQueueListeners = false;
        options.RunTimers = false;
    });

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_flush_dying_before_the_entry_is_written_leaves_a_claim_the_next_flush_replaces_with_one_entry()
    {
        var directoryId = PartitionLayout.NewId();
        var events = new FaultyEventLog(host.Services.GetRequiredService<IConnectionEventLog>()) { FailBeforeAppend = true };
        var updater = Updater(events);

        await Assert.ThrowsAsync<IOException>(() => updater.UpdateAsync(directoryId, [Success(directoryId)], CancellationToken.None));
        var claimed = await Store.GetRecordAsync(directoryId, CancellationToken.None);
        Assert.NotNull(claimed!.PendingKey);
        Assert.Empty(await DirectoryChangesAsync(directoryId));

        Assert.True(await updater.UpdateAsync(directoryId, [Success(directoryId)], CancellationToken.None));

        var changes = await DirectoryChangesAsync(directoryId);
        Assert.Equal("connected", Assert.Single(changes).Entry.Operation);
        Assert.NotEqual(claimed.PendingKey, changes[0].Key); // stamped afresh, never in the past
        var record = await Store.GetRecordAsync(directoryId, CancellationToken.None);
        Assert.Equal("connected", record!.AnnouncedState);
        Assert.Null(record.PendingKey);
    }

    [Fact]
    public async Task A_flush_dying_after_the_entry_is_written_is_confirmed_by_the_next_without_a_second_entry()
    {
        var directoryId = PartitionLayout.NewId();
        var events = new FaultyEventLog(host.Services.GetRequiredService<IConnectionEventLog>()) { FailAfterAppend = true };
        var updater = Updater(events);

        await Assert.ThrowsAsync<IOException>(() => updater.UpdateAsync(directoryId, [Success(directoryId)], CancellationToken.None));
        Assert.True(await updater.UpdateAsync(directoryId, [Success(directoryId)], CancellationToken.None));
        Assert.True(await updater.UpdateAsync(directoryId, [Success(directoryId)], CancellationToken.None));

        Assert.Equal("connected", Assert.Single(await DirectoryChangesAsync(directoryId)).Entry.Operation);
        Assert.Equal("connected", (await Store.GetRecordAsync(directoryId, CancellationToken.None))!.AnnouncedState);
    }

    [Fact]
    public async Task A_status_row_from_before_announcements_counts_its_state_as_told()
    {
        var directoryId = PartitionLayout.NewId();
        await Store.PutRecordAsync(directoryId, new ConnectionRecord().With([Success(directoryId)], 20), CancellationToken.None);

        Assert.True(await Updater(host.Services.GetRequiredService<IConnectionEventLog>()).UpdateAsync(directoryId, [Success(directoryId)], CancellationToken.None));

        Assert.Empty(await DirectoryChangesAsync(directoryId));
        Assert.Equal("connected", (await Store.GetRecordAsync(directoryId, CancellationToken.None))!.AnnouncedState);
    }

    [Fact]
    public async Task A_writer_that_read_an_old_version_of_the_status_row_does_not_overwrite_it()
    {
        var directoryId = PartitionLayout.NewId();
        var stale = (await Store.TryPutRecordAsync(directoryId, new ConnectionRecord(), CancellationToken.None))!;
        Assert.NotNull(await Store.TryPutRecordAsync(directoryId, stale.With([Success(directoryId)], 20), CancellationToken.None));

        Assert.Null(await Store.TryPutRecordAsync(directoryId, stale, CancellationToken.None));
        Assert.NotNull((await Store.GetRecordAsync(directoryId, CancellationToken.None))!.LastSuccessAt);
    }

    private ActivityStore Store => host.Services.GetRequiredService<ActivityStore>();

    private ConnectionStatusUpdater Updater(IConnectionEventLog events) => new(Store, new ActivityOptions(), TimeProvider.System, events);

    private static ActivityEntry Success(string directoryId) => SampleActivityEntry.At(directoryId, DateTimeOffset.UtcNow, authenticated: true);

    private async Task<List<(string Key, ChangeEntry Entry)>> DirectoryChangesAsync(string directoryId)
    {
        var (changes, _) = await host.Services.GetRequiredService<ChangeLogStore>().ReadAsync(
            directoryId, null, PartitionLayout.ChangeFloor(DateTimeOffset.UtcNow.AddMinutes(1)), 100, CancellationToken.None);
        return [.. changes.Where(c => c.Entry.Kind == ChangeLog.DirectoryKind)];
    }

    /// <summary>Fault injection around the real change log: the process dies just before, or just after, the entry's write.</summary>
    private sealed class FaultyEventLog(IConnectionEventLog inner) : IConnectionEventLog
    {
        public bool FailBeforeAppend { get; set; }
        public bool FailAfterAppend { get; set; }

        public string NewKey() => inner.NewKey();

        public Task<bool> ContainsAsync(string directoryId, string key, CancellationToken cancellationToken) => inner.ContainsAsync(directoryId, key, cancellationToken);

        public async Task AppendAsync(string directoryId, string key, string state, CancellationToken cancellationToken)
        {
            if (FailBeforeAppend)
            {
                FailBeforeAppend = false;
                throw new IOException("injected: died before the entry was written");
            }
            await inner.AppendAsync(directoryId, key, state, cancellationToken);
            if (FailAfterAppend)
            {
                FailAfterAppend = false;
                throw new IOException("injected: died after the entry was written");
            }
        }
    }
}
