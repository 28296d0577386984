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

    /// <summary>Rows of one partition with keys in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static string Range(string partition, string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");

    /// <summary>Rows of one partition with keys in (<paramref name="after"/>, <paramref name="to"/>).</summary>
    public static string RangeAfter(string partition, string after, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after} and RowKey lt {to}");

    /// <summary>The last key segments (after <paramref name="prefix"/>) of the rows under <paramref name="prefix"/>
    /// after <paramref name="after"/>, key-only, in key order.</summary>
    public async IAsyncEnumerable<string> KeysUnderAsync(
        string directoryId, string prefix, string? after, int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        var filter = after is null
            ? Prefix(partition, prefix)
            : RangeAfter(partition, PartitionLayout.UnderPrefix(prefix, after), PartitionLayout.PrefixEnd(prefix));
        await foreach (var row in table.QueryAsync<TableEntity>(filter, pageSize, ["RowKey"], cancellationToken))
        {
            yield return PartitionLayout.AfterPrefix(prefix, row.RowKey);
        }
    }

    /// <summary>One page of <see cref="KeysUnderAsync"/> (1 read), and whether more follow.</summary>
    public async Task<(List<string> Keys, bool More)> KeyPageAsync(string directoryId, string prefix, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var page = new List<string>(pageSize);
        await foreach (var key in KeysUnderAsync(directoryId, prefix, after, Math.Min(1000, pageSize + 1), cancellationToken))
        {
            if (page.Count == pageSize) return (page, true);
            page.Add(key);
        }
        return (page, false);
    }

    /// <summary>Every row of one partition whose key starts with <paramref name="prefix"/>.</summary>
    public static string Prefix(string partition, string prefix) => Range(partition, prefix, PartitionLayout.PrefixEnd(prefix));
}
