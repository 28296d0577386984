using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>The query filters of key ranges in one partition: every SCIM read is a point read or one of these.</summary>
public static class KeyRange
{
    /// <summary>Rows with <paramref name="from"/> ≤ RowKey &lt; <paramref name="to"/>.</summary>
    public static string Between(string partition, string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");

    /// <summary>Rows under <paramref name="prefix"/>.</summary>
    public static string Under(string partition, string prefix) => Between(partition, prefix, PartitionLayout.PrefixEnd(prefix));

    /// <summary>Rows with <paramref name="after"/> &lt; RowKey &lt; <paramref name="to"/>.</summary>
    public static string After(string partition, string after, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after} and RowKey lt {to}");

    /// <summary>Rows under <paramref name="prefix"/> whose key sorts after <c>prefix + afterId</c>; all of them when null.</summary>
    public static string UnderAfter(string partition, string prefix, string? afterId) => afterId is null
        ? Under(partition, prefix)
        : After(partition, prefix + afterId, PartitionLayout.PrefixEnd(prefix));
}
