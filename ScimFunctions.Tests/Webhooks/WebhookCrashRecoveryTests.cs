using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Tests.Webhooks;

/// <summary>
/// A delivery run killed between the commit of its changes and the end of its batch: its own host, with no queue
/// listener and a table of its own, so the test alone decides when delivery runs and when it dies.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookCrashRecoveryTests
{
    [Fact]
    public async Task A_run_killed_mid_batch_loses_nothing_and_its_duplicates_carry_the_same_webhook_id_in_order()
    {
        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunTimers = false;
            options.RunQueueListeners = false;
            options.Settings["Webhooks__TableName"] = "WebhooksCrashTest";
            options.Settings["Webhooks__SettleWindow"] = "00:00:00.200";
            options.Settings["Webhooks__LateCommitMargin"] = "00:00:00.100";
            options.Settings["Webhooks__RequestTimeout"] = "00:00:01";
            options.Settings["Webhooks__LeaseDuration"] = "00:00:02";
        });
        using var crash = new CancellationTokenSource();
        var answered = 0;
        await using var receiver = await WebhookReceiver.StartAsync();
        // The fourth post kills the run while it waits for the answer, as a host stopping would.
        receiver.Answer = _ =>
        {
            if (Interlocked.Increment(ref answered) == 4) crash.Cancel();
            return 200;
        };
        var scim = await NewDirectoryAsync(host);
        var endpoint = await ManageAsync(host, HttpMethod.Post, "/manage/webhooks", new JsonObject
        {
            ["url"] = receiver.Url, ["directories"] = new JsonArray(scim.DirectoryId), ["events"] = new JsonArray("user.created"),
        });
        var endpointId = endpoint["id"]!.GetValue<string>();
        var secret = endpoint["secret"]!.GetValue<string>();
        var names = Enumerable.Range(1, 6).Select(i => $"crash{i}@example.com").ToList();
        foreach (var name in names)
        {
            (await scim.PostAsync("/Users", new JsonObject
            {
                ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"), ["userName"] = name,
            })).Expect(HttpStatusCode.Created);
        }
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // past the settle window
        var dispatcher = host.Services.GetRequiredService<WebhookDispatcher>();
        var message = new WebhookMessage(scim.DirectoryId, endpointId);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatcher.HandleAsync(message, crash.Token));
        Assert.Equal(4, receiver.Received.Count);

        // The next run (here after the dead run's lease ends; in Azure the message's next dequeue) starts again
        // from the last saved cursor.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (receiver.Received.Count < 10 && DateTime.UtcNow < until)
        {
            await dispatcher.HandleAsync(message, CancellationToken.None);
            await Task.Delay(200);
        }

        var received = receiver.Received.ToList();
        var userNames = received.Select(r => r.Json["data"]!["user"]!["userName"]!.GetValue<string>()).ToList();
        Assert.Equal([.. names.Take(4), .. names], userNames);
        Assert.Equal(names.Count, received.Select(r => r.Id).Distinct().Count());
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(received[i].Id, received[4 + i].Id);
            Assert.Equal(received[i].Json["id"]!.GetValue<string>(), received[4 + i].Json["id"]!.GetValue<string>());
        }
        Assert.All(received, r => Assert.True(r.VerifiesWith(secret)));
        var state = (await ManageAsync(host, HttpMethod.Get, $"/manage/webhooks/{endpointId}"))["deliveries"]![0]!;
        Assert.Equal("ok", state["state"]!.GetValue<string>());
    }

    private static async Task<ScimClient> NewDirectoryAsync(RunningLocalHost host)
    {
        var directory = await ManageAsync(host, HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = "Crash", ["provider"] = "Okta" });
        var id = directory["id"]!.GetValue<string>();
        var token = await ManageAsync(host, HttpMethod.Post, $"/manage/directories/{id}/tokens", new JsonObject { ["label"] = "crash" });
        return new ScimClient(host.Client, id, token["token"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ManageAsync(RunningLocalHost host, HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        request.Headers.Add("x-functions-key", host.FunctionKey);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
