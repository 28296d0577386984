using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ScimFunctions.Activity;
using ScimFunctions.Directories;
using ScimFunctions.Tests.EndToEnd;

namespace ScimFunctions.Tests.Activity;

/// <summary>The daily retention run: days older than the limit go, newer ones and the status row stay.</summary>
public sealed class ActivityRetentionTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    [Fact]
    public async Task Rows_older_than_the_limit_are_gone_after_the_run_and_newer_ones_stay()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var other = await fixture.NewDirectoryAsync("Okta");
        var store = fixture.Host.Services.GetRequiredService<ActivityStore>();
        var now = DateTimeOffset.UtcNow;
        int[] ages = [45, 31, 30, 28, 1, 0];
        foreach (var age in ages)
        {
            await store.WriteAsync([SampleActivityEntry.At(scim.DirectoryId, now.AddDays(-age), authenticated: true), SampleActivityEntry.At(scim.DirectoryId, now.AddDays(-age).AddMinutes(-1), authenticated: true)], CancellationToken.None);
        }
        await store.WriteAsync([SampleActivityEntry.At(other.DirectoryId, now.AddDays(-2), authenticated: true)], CancellationToken.None);
        await store.PutRecordAsync(scim.DirectoryId, new ConnectionRecord { LastRequestAt = now.AddDays(-45) }, CancellationToken.None);

        var retention = fixture.Host.Services.GetRequiredService<ActivityRetention>();
        Assert.True(await retention.RunAsync(CancellationToken.None) >= 6);

        var kept = (await fixture.Host.AllRequestsAsync(scim.DirectoryId)).Select(entry => DateTimeOffset.Parse(entry["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6, kept.Count);
        Assert.All(kept, at => Assert.True(now - at < TimeSpan.FromDays(29.1), $"{at} should be gone"));
        Assert.Single(await fixture.Host.AllRequestsAsync(other.DirectoryId));
        Assert.NotNull(await store.GetRecordAsync(scim.DirectoryId, CancellationToken.None));
    }

    [Fact]
    public async Task A_run_deletes_no_more_than_its_budget_and_the_next_run_resumes()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var store = fixture.Host.Services.GetRequiredService<ActivityStore>();
        var old = DateTimeOffset.UtcNow.AddDays(-60);
        await store.WriteAsync(Enumerable.Range(0, 5).Select(i => SampleActivityEntry.At(scim.DirectoryId, old.AddSeconds(i), authenticated: true)).ToList(), CancellationToken.None);
        var options = new ActivityOptions { RetentionDeletesPerRun = 3 };
        var retention = new ActivityRetention(store, fixture.Host.Services.GetRequiredService<DirectoryStore>(), options, TimeProvider.System, NullLogger<ActivityRetention>.Instance);

        Assert.Equal(3, await retention.RunAsync(CancellationToken.None));
        Assert.Equal(2, (await fixture.Host.StoredRowsAsync(scim.DirectoryId)).Count);
        Assert.Equal(2, await retention.RunAsync(CancellationToken.None));
        Assert.Empty(await fixture.Host.StoredRowsAsync(scim.DirectoryId));
    }
}
