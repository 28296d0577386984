using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Configuration;
using ScimFunctions.Directories;
using ScimFunctions.Roles;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>
/// What the host's timers and queue triggers would do, run on demand (listeners and timers are off): the
/// pending-delete sweep (deletes, renames and large member changes, of any age) of the case's directories, the
/// recompute queue drained through the app's own dispatcher, then the outbox sweep of what the queue left (and
/// the queue again), and the purge of deleted directories.
/// </summary>
public sealed class BackgroundWork(IServiceProvider services, string storageConnectionString)
{
    private readonly QueueClient recompute = StorageClients.CreateQueueServiceClient(TestStorage.Configuration(new Dictionary<string, string?> { [AppSettingNames.Storage] = storageConnectionString })).GetQueueClient(RoleQueues.Recompute);

    public async Task RunAsync(IEnumerable<string> directoryIds)
    {
        var store = services.GetRequiredService<ScimStore>();
        var directories = services.GetRequiredService<DirectoryStore>();
        await services.GetRequiredService<DirectoryPurger>().RunAsync(CancellationToken.None);
        var live = new List<string>();
        foreach (var directoryId in directoryIds)
        {
            if (await directories.GetAsync(directoryId, CancellationToken.None) is not { State: not DirectoryState.Deleting }) continue;
            live.Add(directoryId);
            await store.Groups.ResumePendingDeletesAsync(directoryId);
            await store.Users.ResumePendingDeletesAsync(directoryId);
            await store.Groups.ResumeDisplayRefreshesAsync(directoryId);
            await store.Users.ResumeDisplayRefreshesAsync(directoryId);
            await store.Memberships.PendingChanges.ResumeAsync(directoryId, CancellationToken.None, olderThan: TimeSpan.Zero);
        }
        // The queue first, then the sweep of what it left (a signal lost to a fault), as in a running host: sweeping
        // first would send every pending user again and recompute each twice.
        await DrainRecomputeAsync();
        var swept = 0;
        foreach (var directoryId in live)
        {
            swept += await services.GetRequiredService<OutboxSweeper>().SweepDirectoryAsync(directoryId, TimeSpan.Zero, CancellationToken.None);
        }
        if (swept > 0) await DrainRecomputeAsync();
    }

    /// <summary>Handles every visible recompute message (of any directory: all are due), as the trigger would.</summary>
    private async Task DrainRecomputeAsync()
    {
        await recompute.CreateIfNotExistsAsync();
        var dispatcher = services.GetRequiredService<RecomputeDispatcher>();
        for (var round = 0; round < 50; round++)
        {
            var messages = (await recompute.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (messages.Length == 0) return;
            foreach (var message in messages)
            {
                await dispatcher.HandleAsync(RoleRecomputeMessage.Parse(message.Body.ToString()), CancellationToken.None);
                await recompute.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
        throw new InvalidOperationException("The recompute queue did not drain.");
    }
}
