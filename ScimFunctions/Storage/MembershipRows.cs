using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>The rows of a membership change besides the membership rows' keys (<see cref="PartitionLayout"/>):
/// the row itself with the other side's display, the guard on a member's document, and key-only reads.</summary>
internal static class MembershipRows
{
    public static TableEntity Entity(string partition, string rowKey, string? display) =>
        new(partition, rowKey) { [ResourceEntityMapper.DisplayProperty] = display };

    /// <summary>The guard on a member's document: it fails (404) once the user is deleted, and marks the user changed.</summary>
    public static TableTransactionAction TouchUser(string partition, string userId, DateTimeOffset now) =>
        new(TableTransactionActionType.UpdateMerge,
            new TableEntity(partition, ResourceKind.User.DocumentKey(userId)) { [ResourceEntityMapper.LastModifiedProperty] = now }, ETag.All);

    /// <summary>The last key segment (the other side's id) of every row under <paramref name="prefix"/>: 1 read per 1,000.</summary>
    public static async IAsyncEnumerable<string> StreamKeysAsync(TableClient table, string partition, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(KeyRange.Under(partition, prefix), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            yield return PartitionLayout.LastSegment(row.RowKey);
        }
    }
}
