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
        var service = context.CreateTableServiceClient();
        foreach (var directoryId in directoryIds)
        {
            foreach (var (table, filter) in StoreSnapshot.RowSources(directoryId))
            {
                var client = service.GetTableClient(table);
                // Each source is one partition, so its rows go in transactions of 100 as they are.
                var rows = new List<TableEntity>();
                await foreach (var row in client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"])) rows.Add(row);
                foreach (var chunk in rows.Chunk(100))
                {
                    await client.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)));
                }
            }
        }
    }
}
