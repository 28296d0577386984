using Azure.Data.Tables;

namespace ScimFunctions.Directories;

/// <summary>A table client that creates its table on first use, once per process.</summary>
public sealed class EnsuredTable(TableServiceClient service, string tableName)
{
    private readonly TableClient client = service.GetTableClient(tableName);
    private Task? created;

    public string Name => client.Name;

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
