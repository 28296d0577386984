using Azure.Storage.Queues;

namespace ScimFunctions.Roles;

/// <summary>
/// Sends recompute messages. The queue client comes from <see cref="Storage.StorageClients.CreateQueueServiceClient"/>,
/// which encodes bodies as Base64: what the queue trigger decodes by default (host.json <c>messageEncoding</c>).
/// </summary>
public class RoleRecomputeQueue
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private Task? _created;

    public RoleRecomputeQueue(QueueServiceClient queues)
    {
        _queue = queues.GetQueueClient(RoleQueues.Recompute);
        _poison = queues.GetQueueClient(RoleQueues.RecomputePoison);
    }

    public virtual async Task SendAsync(IEnumerable<RoleRecomputeMessage> messages, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        foreach (var message in messages)
        {
            await _queue.SendMessageAsync(message.Serialize(), cancellationToken);
        }
    }

    /// <summary>Sends one message that becomes visible only after <paramref name="delay"/>.</summary>
    public virtual async Task SendLaterAsync(RoleRecomputeMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await _queue.SendMessageAsync(message.Serialize(), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }

    /// <summary>Messages in the poison queue, of every directory (approximate, as the service counts them).</summary>
    public async Task<int> PoisonedCountAsync(CancellationToken cancellationToken)
    {
        if (!await _poison.ExistsAsync(cancellationToken)) return 0;
        return (await _poison.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var task = _created ??= _queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        try
        {
            await task.WaitAsync(cancellationToken);
        }
        catch when (task.IsFaulted || task.IsCanceled)
        {
            // Forget a transient failure so the next send tries again.
            _ = Interlocked.CompareExchange(ref _created, null, task);
            throw;
        }
    }
}
