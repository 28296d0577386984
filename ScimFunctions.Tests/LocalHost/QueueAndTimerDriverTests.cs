using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.LocalHost;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.LocalHost;

public sealed class QueueAndTimerDriverTests
{
    private static readonly TimeSpan BoundedWait = TimeSpan.FromSeconds(45);

    private static Task<RunningLocalHost> StartWithProbesAsync(ProbeRecorder recorder, string queue, string failingQueue, string timerSchedule, Func<HostJsonSettings, HostJsonSettings>? adjust = null, string? slowQueue = null) =>
        RunningLocalHost.StartAsync(options =>
        {
            options.ExtraFunctionTypes.Add(typeof(ProbeFunctions));
            options.Settings["ProbeQueueName"] = queue;
            options.Settings["ProbeFailingQueueName"] = failingQueue;
            options.Settings["ProbeTimerSchedule"] = timerSchedule;
            options.Settings["ProbeSlowQueueName"] = slowQueue ?? NewQueueName("unused");
            options.ConfigureServices = services => services.AddSingleton(recorder);
            options.AdjustHostJson = adjust;
        });

    private static string NewQueueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + BoundedWait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_message_sent_the_way_the_app_sends_it_reaches_the_trigger_decoded_and_is_then_deleted()
    {
        var queueName = NewQueueName("probe");
        var appQueues = StorageClients.CreateQueueServiceClient(TestStorage.Configuration());
        var appQueue = appQueues.GetQueueClient(queueName);
        await appQueue.CreateIfNotExistsAsync();
        var sent = new ProbeMessage("dir-7", ["u1", "u2"]);
        await appQueue.SendMessageAsync(JsonSerializer.Serialize(sent, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        // On the wire the body is Base64, which is what the Functions queue trigger decodes by default.
        var rawQueue = StorageClients.CreateQueueServiceClient(TestStorage.Configuration(), encoding: QueueMessageEncoding.None).GetQueueClient(queueName);
        var raw = (await rawQueue.PeekMessageAsync()).Value.Body.ToString();
        Assert.Contains("\"directoryId\":\"dir-7\"", Encoding.UTF8.GetString(Convert.FromBase64String(raw)));

        var recorder = new ProbeRecorder();
        await using var host = await StartWithProbesAsync(recorder, queueName, NewQueueName("unused"), "0 0 0 1 1 *");
        Assert.True(await recorder.Signal.WaitAsync(BoundedWait), "The queue trigger never ran.");

        var received = Assert.Single(recorder.Received);
        Assert.Equal(sent.DirectoryId, received.DirectoryId);
        Assert.Equal(sent.UserIds, received.UserIds);
        await WaitUntilAsync(async () => (await appQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the handled message to be deleted");
    }

    [Fact]
    public async Task A_handler_that_always_fails_runs_maxDequeueCount_times_then_the_message_is_in_the_poison_queue()
    {
        var failingQueue = NewQueueName("failing");
        var queues = StorageClients.CreateQueueServiceClient(TestStorage.Configuration());
        await queues.GetQueueClient(failingQueue).CreateIfNotExistsAsync();
        await queues.GetQueueClient(failingQueue).SendMessageAsync("boom");

        var recorder = new ProbeRecorder();
        HostJsonSettings? effective = null;
        await using var host = await StartWithProbesAsync(recorder, NewQueueName("unused"), failingQueue, "0 0 0 1 1 *",
            adjust: settings => effective = settings with { VisibilityTimeout = TimeSpan.Zero });

        var poison = queues.GetQueueClient(failingQueue + "-poison");
        await WaitUntilAsync(async () => await poison.ExistsAsync() && (await poison.PeekMessagesAsync(1)).Value.Length == 1, "the poison queue");

        Assert.Equal(5, effective!.MaxDequeueCount); // host.json's value, not a test override
        Assert.Equal([1, 2, 3, 4, 5], recorder.FailedTries.ToArray());
        Assert.Equal("boom", (await poison.PeekMessageAsync()).Value.Body.ToString());
        Assert.Empty((await queues.GetQueueClient(failingQueue).PeekMessagesAsync(1)).Value);
    }

    [Fact]
    public async Task A_slow_message_does_not_hold_back_the_messages_queued_after_it()
    {
        var slowQueue = NewQueueName("slow");
        var queue = StorageClients.CreateQueueServiceClient(TestStorage.Configuration()).GetQueueClient(slowQueue);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("slow");

        var recorder = new ProbeRecorder();
        await using var host = await StartWithProbesAsync(recorder, NewQueueName("unused"), NewQueueName("unused"), "0 0 0 1 1 *", slowQueue: slowQueue);
        await recorder.SlowMessageStarted.Task.WaitAsync(BoundedWait);
        string[] quick = ["quick-1", "quick-2", "quick-3"];
        foreach (var message in quick) await queue.SendMessageAsync(message);

        // The host keeps fetching while a message runs; a listener that waits for its whole batch would not.
        await WaitUntilAsync(() => Task.FromResult(recorder.SlowQueueHandled.Count == quick.Length), "the quick messages while the slow one runs");
        Assert.Equal(quick.Order(), recorder.SlowQueueHandled.Order());
        recorder.ReleaseSlowMessage.SetResult();
        await WaitUntilAsync(() => Task.FromResult(recorder.SlowQueueHandled.Contains("slow")), "the slow message once released");
        await WaitUntilAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "every handled message to be deleted");
    }

    [Fact]
    public async Task A_timer_function_runs_on_its_schedule()
    {
        var recorder = new ProbeRecorder();
        await using var host = await StartWithProbesAsync(recorder, NewQueueName("unused"), NewQueueName("unused"), "*/1 * * * * *");
        Assert.True(await recorder.Signal.WaitAsync(BoundedWait), "The timer never fired.");
        Assert.True(await recorder.Signal.WaitAsync(BoundedWait), "The timer fired only once.");

        var runs = recorder.TimerRuns.ToArray();
        Assert.True(runs.Length >= 2);
        // Each run is for its own whole-second occurrence of the schedule, in order (not wall-clock gaps,
        // which a slow first run on a busy machine can shorten).
        Assert.All(runs, occurrence => Assert.Equal(0, occurrence.Millisecond));
        Assert.True(runs[1] > runs[0], "The second run was not for a later occurrence.");
    }

    [Theory]
    [InlineData("0 */5 * * * *", "2026-01-01T10:02:30Z", "2026-01-01T10:05:00Z")]
    [InlineData("*/10 * * * *", "2026-01-01T10:02:30Z", "2026-01-01T10:10:00Z")]
    [InlineData("00:00:30", "2026-01-01T10:02:30Z", "2026-01-01T10:03:00Z")]
    public void Schedules_are_read_as_the_functions_host_reads_them(string schedule, string from, string expected)
    {
        var next = TimerTriggerScheduler.ParseSchedule(schedule);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
