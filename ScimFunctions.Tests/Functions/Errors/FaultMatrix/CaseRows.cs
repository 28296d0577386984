using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>
/// Removes a finished case's rows (every row of <see cref="StoreSnapshot.RowSources"/> of its directories).
/// Azurite's cost of an update or a delete grows with the rows of the whole table, so hundreds of cases left in
/// place would make each later case slower than the one before.
/// </summary>
public static class CaseRows
{
    public static async Task RemoveAsync(RouteContext context, IEnumerable<string> directoryIds)
    {
        var service = StorageClients.CreateTableServiceClient(TestStorage.Configuration(new Dictionary<string, string?> { [ScimFunctions.Configuration.AppSettingNames.Storage] = context.StorageConnectionString }));
        foreach (var directoryId in directoryIds)
        {
            foreach (var (table, filter) in StoreSnapshot.RowSources(directoryId))
            {
                var client = service.GetTableClient(table);
                var keys = new List<(string Partition, string Row)>();
                await foreach (var row in client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"])) keys.Add((row.PartitionKey, row.RowKey));
                foreach (var partition in keys.GroupBy(key => key.Partition))
                {
                    foreach (var chunk in partition.Chunk(100))
                    {
                        await client.SubmitTransactionAsync(chunk.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(key.Partition, key.Row), ETag.All)));
                    }
                }
            }
        }
    }
}
