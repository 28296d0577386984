using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Activity;
using ScimFunctions.Directories;
using ScimFunctions.Tests.Activity;
using ScimFunctions.Tests.Auth;

namespace ScimFunctions.Tests.Directories;

public sealed class DirectoryPurgerTests : IAsyncLifetime
{
    private readonly AuthHarness harness = new(configureDirectories: o => o.PurgeRowsPerRun = 150);

    public async Task InitializeAsync() => await harness.DataTable.CreateIfNotExistsAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private async Task SeedAsync(string directoryId, int rows)
    {
        foreach (var chunk in Enumerable.Range(0, rows).Chunk(100))
        {
            await harness.DataTable.SubmitTransactionAsync(chunk.Select(i =>
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(directoryId, $"user|{i:D5}") { ["Body"] = "{}" })));
        }
    }

    private async Task<int> CountAsync(string directoryId)
    {
        var count = 0;
        await foreach (var _ in harness.DataTable.QueryAsync<TableEntity>(e => e.PartitionKey == directoryId, select: ["RowKey"])) count++;
        return count;
    }

    [Fact]
    public async Task A_purged_directory_loses_its_request_log_and_status_within_the_run_budget_and_others_keep_theirs()
    {
        var doomed = await harness.NewDirectoryAsync("Doomed");
        var kept = await harness.NewDirectoryAsync("Kept");
        var activity = harness.Services.GetRequiredService<ActivityStore>();
        var now = harness.Time.GetUtcNow();
        foreach (var day in Enumerable.Range(0, 2))
        {
            // 100 rows on each of two days: more than the purge's budget of 150 in one run.
            await activity.WriteAsync(Enumerable.Range(0, 100).Select(i => SampleActivityEntry.At(doomed.Id, now.AddDays(-day).AddSeconds(-i))).ToList(), CancellationToken.None);
        }
        await activity.WriteAsync([SampleActivityEntry.At(kept.Id, now)], CancellationToken.None);
        await activity.PutRecordAsync(doomed.Id, new ConnectionRecord(), CancellationToken.None);
        await SeedAsync(doomed.Id, 10);
        await harness.Directories.DeleteAsync(doomed.Id, CancellationToken.None);
        var purger = harness.Create<DirectoryPurger>();

        var first = await purger.RunAsync(CancellationToken.None);
        Assert.Equal(150, first.RowsDeleted);
        harness.Time.Advance(harness.Options.TokenCacheLifetime);
        var second = await purger.RunAsync(CancellationToken.None);

        Assert.Equal(61, second.RowsDeleted); // the remaining 60 logged requests and the status row
        Assert.Equal([doomed.Id], second.DirectoriesFinished);
        Assert.Empty((await activity.QueryAsync(doomed.Id, new ActivityQuery(), CancellationToken.None)).Entries);
        Assert.Null(await activity.GetRecordAsync(doomed.Id, CancellationToken.None));
        Assert.Single((await activity.QueryAsync(kept.Id, new ActivityQuery(), CancellationToken.None)).Entries);
    }

    [Fact]
    public async Task Runs_delete_a_bounded_slice_each_and_finish_the_directory_when_its_partition_is_empty()
    {
        var doomed = await harness.NewDirectoryAsync("Doomed");
        var kept = await harness.NewDirectoryAsync("Kept");
        await harness.MintAsync(doomed.Id);
        await SeedAsync(doomed.Id, 320);
        await SeedAsync(kept.Id, 10);
        await harness.Directories.DeleteAsync(doomed.Id, CancellationToken.None);
        var purger = harness.Create<DirectoryPurger>();

        var first = await purger.RunAsync(CancellationToken.None);
        Assert.Equal(150, first.RowsDeleted);
        Assert.Equal(170, await CountAsync(doomed.Id));

        var second = await purger.RunAsync(CancellationToken.None);
        Assert.Equal(150, second.RowsDeleted);
        harness.Time.Advance(harness.Options.TokenCacheLifetime);
        var third = await purger.RunAsync(CancellationToken.None);

        Assert.Equal(20, third.RowsDeleted);
        Assert.Equal([doomed.Id], third.DirectoriesFinished);
        Assert.Equal(0, await CountAsync(doomed.Id));
        Assert.Equal(10, await CountAsync(kept.Id));
        Assert.Null(await harness.DirectoryStore.GetAsync(doomed.Id, CancellationToken.None));
        Assert.Empty(await harness.Tokens.ListAsync(doomed.Id, CancellationToken.None));
        Assert.NotNull(await harness.DirectoryStore.GetAsync(kept.Id, CancellationToken.None));
    }

    [Fact]
    public async Task An_emptied_directory_is_kept_until_no_instance_can_still_accept_its_tokens()
    {
        var doomed = await harness.NewDirectoryAsync();
        await SeedAsync(doomed.Id, 5);
        await harness.Directories.DeleteAsync(doomed.Id, CancellationToken.None);
        var purger = harness.Create<DirectoryPurger>();

        var early = await purger.RunAsync(CancellationToken.None);
        harness.Time.Advance(harness.Options.TokenCacheLifetime);
        var later = await purger.RunAsync(CancellationToken.None);

        Assert.Equal(5, early.RowsDeleted);
        Assert.Empty(early.DirectoriesFinished);
        Assert.Equal([doomed.Id], later.DirectoriesFinished);
    }

    [Fact]
    public async Task With_no_data_table_at_all_the_directory_is_still_finished()
    {
        await harness.DataTable.DeleteAsync();
        var doomed = await harness.NewDirectoryAsync();
        await harness.Directories.DeleteAsync(doomed.Id, CancellationToken.None);
        harness.Time.Advance(harness.Options.TokenCacheLifetime);

        var run = await harness.Create<DirectoryPurger>().RunAsync(CancellationToken.None);

        Assert.Equal([doomed.Id], run.DirectoriesFinished);
    }

    [Fact]
    public async Task Active_and_disabled_directories_are_never_purged()
    {
        var active = await harness.NewDirectoryAsync();
        var disabled = await harness.NewDirectoryAsync();
        await harness.Directories.SetEnabledAsync(disabled.Id, enabled: false, CancellationToken.None);
        await SeedAsync(active.Id, 3);
        await SeedAsync(disabled.Id, 3);
        harness.Time.Advance(TimeSpan.FromDays(1));

        var run = await harness.Create<DirectoryPurger>().RunAsync(CancellationToken.None);

        Assert.Equal(0, run.RowsDeleted);
        Assert.Equal(3, await CountAsync(active.Id));
        Assert.Equal(3, await CountAsync(disabled.Id));
    }
}
