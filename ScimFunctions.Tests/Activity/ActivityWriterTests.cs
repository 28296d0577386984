using System.Net;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Activity;
using ScimFunctions.Storage;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Activity;

/// <summary>The background writer: storage refusing the log costs log entries (counted), never a request; a
/// token's last use reaches the tokens list.</summary>
public sealed class ActivityWriterTests
{
    [Fact]
    public async Task With_the_log_storage_failing_scim_requests_still_succeed_and_the_dropped_counter_moves()
    {
        var faults = new StorageFaultPolicy();
        faults.Arm(StorageFault.Status503, times: int.MaxValue);
        var options = new TableClientOptions();
        options.AddPolicy(faults, HttpPipelinePosition.PerCall);
        var failingTables = new TableServiceClient(TestStorage.ConnectionString, options);
        await using var host = await RunningLocalHost.StartAsync(local =>
        {
            local.RunQueueListeners = false;
            local.RunTimers = false;
            local.ConfigureServices = services => services.AddSingleton(new ActivityStore(new EnsuredTable(failingTables, "ScimActivity")));
        });
        var fixture = new HostDirectories(host);
        var scim = await fixture.NewDirectoryAsync();

        for (var i = 0; i < 5; i++)
        {
            (await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"fault-{i}@example.test" })).Expect(HttpStatusCode.Created);
        }
        (await scim.GetAsync("/Users")).Expect(HttpStatusCode.OK);
        await host.FlushAsync();

        var buffer = host.Services.GetRequiredService<ActivityBuffer>();
        Assert.True(buffer.DroppedUnwritten >= 6, $"dropped {buffer.DroppedUnwritten}");
        Assert.True(faults.Injected > 0);
        var health = await host.ManageGetAsync("/health");
        Assert.True(health["activity"]!["droppedLogEntries"]!.GetValue<long>() >= 6);
        // The status row lives in the same failing table: the API answers 503, the counter is still visible in /health.
        using var status = await host.ManageSendAsync(HttpMethod.Get, $"/manage/directories/{scim.DirectoryId}/status");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status.StatusCode);
    }

    [Fact]
    public async Task A_tokens_last_use_and_client_show_in_the_tokens_list_after_a_flush()
    {
        await using var host = await RunningLocalHost.StartAsync(local =>
        {
            local.RunQueueListeners = false;
            local.RunTimers = false;
        });
        var scim = await new HostDirectories(host).NewDirectoryAsync();
        var before = await host.ManageGetAsync($"/manage/directories/{scim.DirectoryId}/tokens");
        Assert.Null(before["tokens"]![0]!["lastUsedAt"]);

        (await scim.GetAsync("/Users", request => request.Headers.UserAgent.ParseAdd("Okta-SCIM/1.2"))).Expect(HttpStatusCode.OK);
        await host.FlushAsync();

        var token = (await host.ManageGetAsync($"/manage/directories/{scim.DirectoryId}/tokens"))["tokens"]![0]!;
        Assert.NotNull(token["lastUsedAt"]);
        Assert.Equal("Okta-SCIM/1.2", token["lastUserAgent"]!.GetValue<string>());
        var status = await host.ManageGetAsync($"/manage/directories/{scim.DirectoryId}/status");
        Assert.Equal(0, status["droppedLogEntries"]!["storageFailed"]!.GetValue<long>());
    }

    [Fact]
    public async Task What_is_buffered_at_shutdown_is_written_by_the_stopping_host()
    {
        var host = await RunningLocalHost.StartAsync(local =>
        {
            local.RunQueueListeners = false;
            local.RunTimers = false;
            local.Settings["Activity__FlushInterval"] = "00:01:00";
        });
        ScimClient scim;
        try
        {
            scim = await new HostDirectories(host).NewDirectoryAsync();
            (await scim.GetAsync("/Users")).Expect(HttpStatusCode.OK);
            Assert.Empty(await host.StoredRowsAsync(scim.DirectoryId)); // not yet: the flush interval is a minute
        }
        finally
        {
            await host.DisposeAsync();
        }

        var table = new TableServiceClient(TestStorage.ConnectionString).GetTableClient("ScimActivity");
        var prefix = PartitionLayout.ActivityDaysPrefix(scim.DirectoryId);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {PartitionLayout.ActivityDaysEnd(scim.DirectoryId)}")))
        {
            rows.Add(row);
        }
        Assert.Equal("Users", Assert.Single(rows).GetString("Route"));
    }

    [Fact]
    public async Task A_flush_writes_one_transaction_per_day_partition_and_hundred_entries()
    {
        var batches = new BatchCounter();
        var options = new TableClientOptions();
        options.AddPolicy(batches, HttpPipelinePosition.PerCall);
        var tables = new TableServiceClient(TestStorage.ConnectionString, options);
        await using var host = await RunningLocalHost.StartAsync(local =>
        {
            local.RunQueueListeners = false;
            local.RunTimers = false;
        });
        var scim = await new HostDirectories(host).NewDirectoryAsync();
        var buffer = new ActivityBuffer(new ActivityOptions());
        var store = new ActivityStore(new EnsuredTable(tables, "ScimActivity"));
        var writer = new ActivityWriter(buffer, store, host.Services.GetRequiredService<ScimFunctions.Directories.DirectoryStore>(),
            host.Services.GetRequiredService<ScimFunctions.Auth.TokenMetadataStore>(), new ActivityOptions(), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ActivityWriter>.Instance);
        var today = DateTimeOffset.UtcNow;
        var yesterday = today.AddDays(-1);
        for (var i = 0; i < 250; i++) buffer.Add(SampleActivityEntry.At(scim.DirectoryId, today.AddMilliseconds(-i)));
        for (var i = 0; i < 30; i++) buffer.Add(SampleActivityEntry.At(scim.DirectoryId, yesterday.AddMilliseconds(-i)));

        await writer.FlushAsync(CancellationToken.None);

        Assert.Equal(4, batches.Count); // today: 100 + 100 + 50; yesterday: 30
        Assert.Equal(281, (await host.StoredRowsAsync(scim.DirectoryId)).Count); // and the status row
        Assert.Equal(0, buffer.Dropped);
    }


    /// <summary>Counts entity group transactions.</summary>
    private sealed class BatchCounter : HttpPipelineSynchronousPolicy
    {
        private int count;
        public int Count => count;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)) Interlocked.Increment(ref count);
        }
    }

    /// <summary>Directories and tokens made through the management API of a host of the test's own.</summary>
    private sealed class HostDirectories(RunningLocalHost host)
    {
        public async Task<ScimClient> NewDirectoryAsync()
        {
            using var created = await host.ManageSendAsync(HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = "Writer", ["provider"] = "Okta" });
            var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            using var minted = await host.ManageSendAsync(HttpMethod.Post, $"/manage/directories/{id}/tokens", new JsonObject { ["label"] = "writer" });
            var token = JsonNode.Parse(await minted.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
            return new ScimClient(host.Client, id, token);
        }
    }
}
