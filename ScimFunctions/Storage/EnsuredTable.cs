using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>A table client that creates its table on first use, once per process; a failed creation is not
/// remembered, so a transient failure on an instance's first request does not fail every later one.</summary>
public sealed class EnsuredTable(TableServiceClient service, string tableName)
{
    private readonly TableClient client = service.GetTableClient(tableName);
    private Task? created;

    public string Name => client.Name;

    /// <summary>The client, for callers that ensured the table already.</summary>
    public TableClient Client => client;

    public async Task<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        var task = created ??= client.CreateIfNotExistsAsync(CancellationToken.None);
        try
        {
            await task.WaitAsync(cancellationToken);
        }
        catch when (task.IsFaulted || task.IsCanceled)
        {
            // Let the next caller try again instead of remembering a transient failure.
            _ = Interlocked.CompareExchange(ref created, null, task);
            throw;
        }
        return client;
    }
}
