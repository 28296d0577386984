using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// The table of the directories' partitions (<see cref="ScimStorageOptions.TableName"/>), created on first use:
/// what the stores that keep their own rows there (roles, outbox, role health, change log) are given.
/// </summary>
public sealed class ScimDataTable(TableServiceClient service, ScimStorageOptions options)
{
    private readonly EnsuredTable table = new(service, options.TableName);

    /// <summary>The client, once the table exists (1 round trip the first time; retried after a failure).</summary>
    public Task<TableClient> GetAsync(CancellationToken cancellationToken) => table.GetAsync(cancellationToken);

    /// <summary>The client, for callers that ensured the table first (the SCIM routes do, once per request).</summary>
    public TableClient Client => table.Client;

    public string Name => table.Name;

    /// <summary>The last key segments (after <paramref name="prefix"/>) of the rows under <paramref name="prefix"/>
    /// after <paramref name="after"/>, key-only, in key order.</summary>
    public async IAsyncEnumerable<string> KeysUnderAsync(
        string directoryId, string prefix, string? after, int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await GetAsync(cancellationToken);
        await foreach (var key in KeysUnderAsync(table, PartitionLayout.Partition(directoryId), prefix, after, pageSize, cancellationToken))
        {
            yield return key;
        }
    }

    /// <summary>The same over a client whose table exists: the one key-only read of rows under a prefix.</summary>
    public static async IAsyncEnumerable<string> KeysUnderAsync(
        TableClient table, string partition, string prefix, string? after, int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(KeyRange.UnderAfter(partition, prefix, after), pageSize, ["RowKey"], cancellationToken))
        {
            yield return PartitionLayout.AfterPrefix(prefix, row.RowKey);
        }
    }

    /// <summary>One page of <see cref="KeysUnderAsync"/> (1 read), and whether more follow.</summary>
    public Task<(List<string> Items, bool More)> KeyPageAsync(string directoryId, string prefix, string? after, int pageSize, CancellationToken cancellationToken) =>
        LookAheadPage.TakeAsync(KeysUnderAsync(directoryId, prefix, after, LookAheadPage.RowsToRead(pageSize), cancellationToken), pageSize);
}
