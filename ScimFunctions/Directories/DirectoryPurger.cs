using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ScimFunctions.Auth;

namespace ScimFunctions.Directories;

/// <summary>
/// Removes the SCIM data of deleted directories, a bounded number of rows per run. Progress is the data
/// itself (what is left in the partition), so an interrupted run is simply resumed by the next one. Data kept
/// elsewhere (the request log) is removed by the <see cref="IDirectoryDataPurge"/>s within the same budget.
/// </summary>
public sealed class DirectoryPurger(
    DirectoryStore directories,
    TokenService tokens,
    TableServiceClient tableService,
    DirectoryOptions options,
    ScimAuthOptions authOptions,
    TimeProvider time,
    ILogger<DirectoryPurger> logger,
    IEnumerable<IDirectoryDataPurge> elsewhere)
{
    private const int BatchSize = 100;

    public async Task<PurgeRun> RunAsync(CancellationToken cancellationToken)
    {
        var budget = options.PurgeRowsPerRun;
        var deleted = 0;
        var finished = new List<string>();
        var data = tableService.GetTableClient(options.ScimDataTableName);
        foreach (var directory in await directories.ListDeletingAsync(cancellationToken))
        {
            if (budget - deleted <= 0) break;
            // Tokens first: a delete whose revocation failed part-way is completed here.
            await tokens.RevokeAllAsync(directory.Id, cancellationToken);
            var (removed, partitionEmpty) = await DeleteRowsAsync(data, directory.Id, budget - deleted, cancellationToken);
            deleted += removed;
            foreach (var other in elsewhere)
            {
                var (removedThere, emptyThere) = budget - deleted > 0
                    ? await other.PurgeAsync(directory.Id, budget - deleted, cancellationToken)
                    : (0, false);
                removed += removedThere;
                deleted += removedThere;
                partitionEmpty &= emptyThere;
            }
            // Wait out the cache lifetime before the final step, so no instance can still be accepting
            // writes for this directory when its row disappears.
            var quiet = directory.DeletionRequested is { } requested && time.GetUtcNow() - requested >= authOptions.TokenCacheLifetime;
            if (partitionEmpty && quiet)
            {
                await tokens.ForgetAllAsync(directory.Id, cancellationToken);
                await directories.RemoveAsync(directory.Id, cancellationToken);
                finished.Add(directory.Id);
                logger.LogInformation("Directory {DirectoryId} deleted.", directory.Id);
            }
            else if (removed > 0)
            {
                logger.LogInformation("Deleted {Rows} rows of directory {DirectoryId}; more runs to go.", removed, directory.Id);
            }
        }
        return new PurgeRun(deleted, finished);
    }

    /// <summary>Deletes up to <paramref name="limit"/> rows of the partition; says whether it is now empty.</summary>
    private static async Task<(int Removed, bool PartitionEmpty)> DeleteRowsAsync(TableClient data, string directoryId, int limit, CancellationToken cancellationToken)
    {
        var keys = new List<TableEntity>();
        try
        {
            // Key-only projection, one more than the budget to know whether anything remains.
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {directoryId}");
            await foreach (var entity in data.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 1, 1000), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                keys.Add(entity);
                if (keys.Count > limit) break;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (0, true); // no data table yet: nothing to remove
        }

        var toDelete = keys.Take(limit).ToList();
        foreach (var chunk in toDelete.Chunk(BatchSize))
        {
            var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All));
            try
            {
                await data.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                // A row vanished meanwhile and failed the whole batch; delete one by one, ignoring the missing.
                foreach (var entity in chunk)
                {
                    try
                    {
                        await data.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
                    }
                    catch (RequestFailedException ex) when (ex.Status == 404)
                    {
                    }
                }
            }
        }
        return (toDelete.Count, keys.Count <= limit);
    }
}
