using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Storage;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Tests.Webhooks;

/// <summary>
/// A change row committed after the delivery cursor passed its stamp (a write slower than the settle window) is
/// delivered late, not lost: its own host, no queue listener, so the test decides when delivery runs.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookLateCommitTests
{
    [Fact]
    public async Task A_row_committed_behind_the_cursor_is_delivered_by_the_next_run_once()
    {
        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunTimers = false;
            options.RunQueueListeners = false;
            options.Settings["Webhooks__TableName"] = "WebhooksLateTest";
            options.Settings["Webhooks__SettleWindow"] = "00:00:00.300";
            options.Settings["Webhooks__LateCommitMargin"] = "00:00:00.100";
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var scim = await NewDirectoryAsync(host);
        var endpoint = await ManageAsync(host, HttpMethod.Post, "/manage/webhooks", new JsonObject
        {
            ["url"] = receiver.Url, ["directories"] = new JsonArray(scim.DirectoryId), ["events"] = new JsonArray("user.created"),
        });
        var dispatcher = host.Services.GetRequiredService<WebhookDispatcher>();
        var message = new WebhookMessage(scim.DirectoryId, endpoint["id"]!.GetValue<string>());
        var first = (await scim.PostAsync("/Users", User("first@example.com"))).Expect(HttpStatusCode.Created).Id;
        await Task.Delay(500);
        await dispatcher.HandleAsync(message, CancellationToken.None);
        Assert.Equal(first, Assert.Single(receiver.Received).Json["data"]!["userId"]!.GetValue<string>());

        // The second user's change row, moved behind the cursor: as if its write had been stamped a second before
        // the first's and committed only now.
        var late = (await scim.PostAsync("/Users", User("late@example.com"))).Expect(HttpStatusCode.Created).Id;
        var table = host.Services.GetRequiredService<TableServiceClient>().GetTableClient(host.Services.GetRequiredService<ScimStorageOptions>().TableName);
        var partition = PartitionLayout.Partition(scim.DirectoryId);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(KeyRange.Under(partition, PartitionLayout.ChangePrefix))) rows.Add(row);
        var firstRow = rows.Single(r => r.GetString(ChangeLog.IdProperty) == first && r.GetString(ChangeLog.KindProperty) == ChangeLog.UserKind);
        var lateRow = rows.Single(r => r.GetString(ChangeLog.IdProperty) == late && r.GetString(ChangeLog.KindProperty) == ChangeLog.UserKind);
        var lateKey = PartitionLayout.Change(PartitionLayout.ChangeStampOf(firstRow.RowKey).AddSeconds(-1));
        await table.DeleteEntityAsync(partition, lateRow.RowKey, ETag.All);
        await table.AddEntityAsync(new TableEntity(lateRow) { RowKey = lateKey });
        await Task.Delay(500);

        await dispatcher.HandleAsync(message, CancellationToken.None);
        await Task.Delay(300); // past the margin: the late row was read, it is not late again
        await dispatcher.HandleAsync(message, CancellationToken.None);

        var received = receiver.Received.ToList();
        Assert.Equal([first, late], received.Select(r => r.Json["data"]!["userId"]!.GetValue<string>()));
        Assert.Equal(PartitionLayout.WebhookEventId(scim.DirectoryId, lateKey, 0), received[1].Id);
    }

    private static JsonObject User(string userName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"), ["userName"] = userName,
    };

    private static async Task<ScimClient> NewDirectoryAsync(RunningLocalHost host)
    {
        var directory = await ManageAsync(host, HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = "Late", ["provider"] = "Okta" });
        var id = directory["id"]!.GetValue<string>();
        var token = await ManageAsync(host, HttpMethod.Post, $"/manage/directories/{id}/tokens", new JsonObject { ["label"] = "late" });
        return new ScimClient(host.Client, id, token["token"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ManageAsync(RunningLocalHost host, HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", host.FunctionKey);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
