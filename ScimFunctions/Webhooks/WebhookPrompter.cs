using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ScimFunctions.Webhooks;

/// <summary>
/// Collects the directories whose SCIM writes committed and, every <see cref="WebhookOptions.PromptInterval"/>,
/// sends one prompt per directory, delayed by the settle window so the change is readable when it arrives. A
/// request only adds to a set: it never waits on a queue. A prompt lost with its instance is healed by the
/// sweep (<see cref="WebhookSweeper"/>): the change rows, not the prompts, are the record.
/// </summary>
public sealed class WebhookPrompter(WebhookQueue queue, WebhookOptions options, ILogger<WebhookPrompter> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> changed = new(StringComparer.Ordinal);

    public void Changed(string directoryId) => changed.TryAdd(directoryId, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PromptInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var directoryId in changed.Keys)
        {
            changed.TryRemove(directoryId, out _);
            try
            {
                await queue.SendAsync(new WebhookMessage(directoryId), options.SettleWindow, cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(failure, "Webhook prompt for directory {DirectoryId} failed; the sweep delivers its changes", directoryId);
            }
        }
    }
}
