using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ScimFunctions.Storage;

namespace ScimFunctions.LocalHost;

/// <summary>
/// Drives queue-triggered functions with the Functions host's semantics: messages decoded as host.json says
/// (Base64 unless <c>messageEncoding</c> is "none"), up to <c>batchSize</c> at a time, the next batch fetched once in-flight work drops to
/// <c>newBatchThreshold</c>; a success deletes the
/// message; a failure makes it visible again after <c>visibilityTimeout</c>; the try that reaches
/// <c>maxDequeueCount</c> moves it to <c>{queue}-poison</c>. Polling backs off to <c>maxPollingInterval</c>.
/// </summary>
public sealed class QueueTriggerListener(
    IEnumerable<FunctionDescriptor> functions,
    HostJsonSettings hostJson,
    IConfiguration configuration,
    IServiceScopeFactory scopes,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queueFunctions = functions.Where(f => f.Trigger is QueueFunctionTrigger).ToList();
        if (queueFunctions.Count == 0) return Task.CompletedTask;
        // Raw bodies: this listener decodes them itself, exactly as host.json tells the real host to.
        var queueService = StorageClients.CreateQueueServiceClient(configuration, encoding: QueueMessageEncoding.None);
        return Task.WhenAll(queueFunctions.Select(function => ListenAsync(function, queueService, stoppingToken)));
    }

    private async Task ListenAsync(FunctionDescriptor function, QueueServiceClient queueService, CancellationToken stoppingToken)
    {
        var trigger = (QueueFunctionTrigger)function.Trigger;
        if (!string.Equals(trigger.Connection, "AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"Function '{function.Name}' uses connection '{trigger.Connection}'; the local host supports AzureWebJobsStorage.");
        }
        var queueName = ResolveBindingExpression(trigger.QueueName);
        var queue = queueService.GetQueueClient(queueName);
        var poisonQueue = queueService.GetQueueClient(queueName + "-poison");
        var delay = MinimumPollingInterval;
        // Like the host, the next batch is fetched as soon as in-flight work drops to newBatchThreshold, so one
        // slow message never holds back the ones queued behind it.
        var inFlight = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                inFlight.RemoveWhere(task => task.IsCompleted);
                if (inFlight.Count > hostJson.EffectiveNewBatchThreshold)
                {
                    await Task.WhenAny(inFlight);
                    continue;
                }
                try
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    QueueMessage[] messages = await queue.ReceiveMessagesAsync(hostJson.BatchSize, LeaseDuration, stoppingToken);
                    if (messages.Length > 0)
                    {
                        delay = MinimumPollingInterval;
                        foreach (var message in messages) inFlight.Add(ProcessAsync(function, queue, poisonQueue, message, stoppingToken));
                        continue;
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    logger.LogWarning(exception, "Polling queue {Queue} failed", queueName);
                }
                // An empty queue: wait for the poll interval, or less when running work finishes (it may queue more).
                var wait = Task.Delay(delay, stoppingToken);
                await Task.WhenAny(inFlight.Append(wait));
                if (stoppingToken.IsCancellationRequested) return;
                if (wait.IsCompleted)
                {
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Max(hostJson.MaxPollingInterval.Ticks, MinimumPollingInterval.Ticks)));
                }
            }
        }
        finally
        {
            // Stopping: running work sees the token; it ends before the listener does.
            await Task.WhenAll(inFlight);
        }
    }

    private async Task ProcessAsync(FunctionDescriptor function, QueueClient queue, QueueClient poisonQueue, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            var payload = Decode(message.Body);
            var bindingData = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Id"] = message.MessageId,
                ["DequeueCount"] = message.DequeueCount,
                ["InsertionTime"] = message.InsertedOn,
                ["ExpirationTime"] = message.ExpiresOn,
                ["PopReceipt"] = message.PopReceipt,
            };
            await using var scope = scopes.CreateAsyncScope();
            var triggerValue = BindPayload(payload, function.Trigger.TriggerParameter.ParameterType);
            await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, triggerValue, bindingData, stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again when its lease ends.
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Function {Function} failed on message {MessageId} (try {Try} of {Max})",
                function.Name, message.MessageId, message.DequeueCount, hostJson.MaxDequeueCount);
            await HandleFailureAsync(queue, poisonQueue, message);
        }
    }

    private async Task HandleFailureAsync(QueueClient queue, QueueClient poisonQueue, QueueMessage message)
    {
        try
        {
            if (message.DequeueCount >= hostJson.MaxDequeueCount)
            {
                await poisonQueue.CreateIfNotExistsAsync();
                await poisonQueue.SendMessageAsync(message.Body.ToString());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                logger.LogError("Message {MessageId} moved to {PoisonQueue} after {Tries} tries", message.MessageId, poisonQueue.Name, message.DequeueCount);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: hostJson.VisibilityTimeout);
            }
        }
        catch (Exception exception)
        {
            // The lease runs out and the message comes back: a retry, never a loss.
            logger.LogWarning(exception, "Could not settle failed message {MessageId}", message.MessageId);
        }
    }

    private BinaryData Decode(BinaryData body) => hostJson.MessageEncoding switch
    {
        "base64" => new BinaryData(Convert.FromBase64String(body.ToString())),
        "none" => body,
        var other => throw new NotSupportedException($"host.json messageEncoding '{other}' is not supported."),
    };

    private static object? BindPayload(BinaryData payload, Type target)
    {
        if (target == typeof(string)) return payload.ToString();
        if (target == typeof(byte[])) return payload.ToArray();
        if (target == typeof(BinaryData)) return payload;
        return JsonSerializer.Deserialize(payload.ToString(), target, PayloadJson);
    }

    /// <summary>Queue names may be <c>%SettingName%</c>, resolved from configuration as the host does.</summary>
    private string ResolveBindingExpression(string value) =>
        value.Length > 2 && value[0] == '%' && value[^1] == '%'
            ? configuration[value[1..^1]] ?? throw new InvalidOperationException($"Setting '{value[1..^1]}' is not set.")
            : value;
}
