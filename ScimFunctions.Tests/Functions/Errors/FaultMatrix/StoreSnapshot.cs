using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>
/// Every row a write route can touch, read straight from storage (no faults): the partition of each
/// directory of the case (its own, and any named by the case's tag), its directory row, token rows and
/// token-hash rows. <see cref="Rows"/> compares exactly (values, not ETags or timestamps); <see cref="Shape"/>
/// masks ids and stamps so two cases of the same route compare, and sums the count shards.
/// </summary>
public sealed partial class StoreSnapshot
{
    /// <summary>Rows whose write is by design finished later (the outbox sweep signals them again).</summary>
    private static readonly string[] CompletedLater = [PartitionLayout.OutboxPrefix, PartitionLayout.GroupOutboxPrefix, PartitionLayout.RoleOutboxPrefix, PartitionLayout.DirectoryOutboxPrefix];

    /// <summary>Properties that record use, not state (the last use of a token).</summary>
    private static readonly string[] UseProperties = ["LastUsedAt", "LastUserAgent", "Timestamp", "odata.etag"];

    private StoreSnapshot(IReadOnlyCollection<string> directoryIds, SortedDictionary<string, string> rows, List<string> shape)
    {
        DirectoryIds = directoryIds;
        Rows = rows;
        Shape = shape;
    }

    /// <summary>The case's directories: its own and any created under its tag.</summary>
    public IReadOnlyCollection<string> DirectoryIds { get; }

    /// <summary>"table|partition|row" → its properties, rows finished later left out.</summary>
    public SortedDictionary<string, string> Rows { get; }

    public List<string> Shape { get; }

    public static async Task<StoreSnapshot> TakeAsync(RouteContext context)
    {
        var service = context.CreateTableServiceClient();
        var directoriesTable = service.GetTableClient(new DirectoryOptions().DirectoriesTableName);
        var directoryIds = new SortedSet<string>(StringComparer.Ordinal);
        if (context.DirectoryId is not null) directoryIds.Add(context.DirectoryId);
        await foreach (var row in directoriesTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PartitionLayout.DirectoriesPartition}")))
        {
            if (row.GetString("DisplayName") == context.Tag) directoryIds.Add(row.RowKey);
        }

        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var shape = new List<string>();
        foreach (var directoryId in directoryIds)
        {
            long users = 0, groups = 0;
            foreach (var (table, filter) in RowSources(directoryId))
            {
                var client = service.GetTableClient(table);
                await client.CreateIfNotExistsAsync();
                await foreach (var row in client.QueryAsync<TableEntity>(filter))
                {
                    if (row.RowKey.StartsWith(PartitionLayout.CountPrefix, StringComparison.Ordinal))
                    {
                        users += row.GetInt64(CountShards.UsersProperty) ?? 0;
                        groups += row.GetInt64(CountShards.GroupsProperty) ?? 0;
                        continue; // compared as sums: which shard holds a count is the instance's choice
                    }
                    if (ConnectionChangeRows.Is(row)) continue;
                    shape.Add(ShapeOf(table, directoryId, row));
                    if (CompletedLater.Any(prefix => row.RowKey.StartsWith(prefix, StringComparison.Ordinal))) continue;
                    rows[$"{table}|{row.PartitionKey}|{row.RowKey}"] = string.Join("; ", row.Keys
                        .Where(key => !UseProperties.Contains(key) && key is not "PartitionKey" and not "RowKey")
                        .Order(StringComparer.Ordinal)
                        .Select(key => $"{key}={Convert.ToString(row[key], CultureInfo.InvariantCulture)}"));
                }
            }
            rows[$"counts|{directoryId}"] = $"Users={users}; Groups={groups}";
            shape.Add($"counts Users={users} Groups={groups}");
        }
        shape.Sort(StringComparer.Ordinal);
        return new StoreSnapshot(directoryIds, rows, shape);
    }

    /// <summary>Where a directory's rows are: each table and the filter that selects them (each within one partition).</summary>
    public static IEnumerable<(string Table, string Filter)> RowSources(string directoryId)
    {
        var auth = new ScimAuthOptions();
        yield return (ScimStorageOptions.DefaultTableName, TableClient.CreateQueryFilter($"PartitionKey eq {PartitionLayout.Partition(directoryId)}"));
        yield return (new DirectoryOptions().DirectoriesTableName, TableClient.CreateQueryFilter($"PartitionKey eq {PartitionLayout.DirectoriesPartition} and RowKey eq {directoryId}"));
        yield return (auth.TokensTableName, TableClient.CreateQueryFilter($"PartitionKey eq {directoryId}"));
        yield return (auth.DevelopmentTokenHashesTableName, TableClient.CreateQueryFilter($"PartitionKey eq {directoryId}"));
    }

    private static string ShapeOf(string table, string directoryId, TableEntity row)
    {
        if (row.RowKey.StartsWith(PartitionLayout.ChangePrefix, StringComparison.Ordinal))
        {
            return $"{table} change {row.GetString(ChangeLog.KindProperty)} {row.GetString(ChangeLog.OperationProperty)}"
                + $" +{Split(row.GetString(ChangeLog.AddedProperty))} -{Split(row.GetString(ChangeLog.RemovedProperty))}";
        }
        var key = GeneratedId().Replace(row.RowKey.Replace(directoryId, "{dir}", StringComparison.Ordinal), "*");
        if (table == new DirectoryOptions().DirectoriesTableName) key += " " + row.GetString("State");
        if (row.RowKey.StartsWith(PartitionLayout.MemberPrefix, StringComparison.Ordinal) || row.RowKey.StartsWith(PartitionLayout.MemberOfPrefix, StringComparison.Ordinal))
        {
            key += " Display=" + row.GetString(MembershipCleanup.DisplayProperty); // a rename's copy onto the other side
        }
        if (table == new ScimAuthOptions().TokensTableName) key += row.ContainsKey("RevokedAt") && row["RevokedAt"] is not null ? " revoked" : "";
        return $"{table} {key}";
    }

    private static int Split(string? ids) => string.IsNullOrEmpty(ids) ? 0 : ids.Split(',').Length;

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex GeneratedId();
}
