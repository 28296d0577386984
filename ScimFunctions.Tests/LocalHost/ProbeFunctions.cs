using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;

namespace ScimFunctions.Tests.LocalHost;

/// <summary>What probe functions saw, for the test that started the host to wait on.</summary>
public sealed class ProbeRecorder
{
    public ConcurrentQueue<ProbeMessage> Received { get; } = new();
    public ConcurrentQueue<int> FailedTries { get; } = new();
    /// <summary>The scheduled occurrence each timer run was for.</summary>
    public ConcurrentQueue<DateTime> TimerRuns { get; } = new();
    public SemaphoreSlim Signal { get; } = new(0);
    /// <summary>Messages the slow-queue function finished, in order.</summary>
    public ConcurrentQueue<string> SlowQueueHandled { get; } = new();
    /// <summary>Set once the slow-queue function holds its "slow" message.</summary>
    public TaskCompletionSource SlowMessageStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>The "slow" message finishes only once this is set.</summary>
    public TaskCompletionSource ReleaseSlowMessage { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed record ProbeMessage(string DirectoryId, string[] UserIds);

/// <summary>Functions that exist only in tests, driven by the local host exactly as the app's own are.</summary>
public sealed class ProbeFunctions(ProbeRecorder recorder)
{
    [Function("ProbeQueue")]
    public void OnMessage([QueueTrigger("%ProbeQueueName%")] ProbeMessage message)
    {
        recorder.Received.Enqueue(message);
        recorder.Signal.Release();
    }

    [Function("ProbeFailingQueue")]
    public void OnMessageAlwaysFails([QueueTrigger("%ProbeFailingQueueName%")] string message, string dequeueCount)
    {
        recorder.FailedTries.Enqueue(int.Parse(dequeueCount, System.Globalization.CultureInfo.InvariantCulture));
        recorder.Signal.Release();
        throw new InvalidOperationException("probe failure for " + message);
    }

    [Function("ProbeSlowQueue")]
    public async Task OnMessageMaybeSlow([QueueTrigger("%ProbeSlowQueueName%")] string message)
    {
        if (message == "slow")
        {
            recorder.SlowMessageStarted.TrySetResult();
            await recorder.ReleaseSlowMessage.Task;
        }
        recorder.SlowQueueHandled.Enqueue(message);
    }

    [Function("ProbeTimer")]
    public void OnTimer([TimerTrigger("%ProbeTimerSchedule%")] TimerInfo timer)
    {
        recorder.TimerRuns.Enqueue(timer.ScheduleStatus!.Last);
        recorder.Signal.Release();
    }

    [Function("ProbeKeyed")]
    public IActionResult Keyed([HttpTrigger(AuthorizationLevel.Function, "get", Route = "probe/keyed/{name}")] HttpRequest request, string name) =>
        new ScimResult(StatusCodes.Status200OK, new System.Text.Json.Nodes.JsonObject { ["name"] = name });
}
