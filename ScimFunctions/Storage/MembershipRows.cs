using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>The rows of a membership change besides the membership rows' keys (<see cref="PartitionLayout"/>):
/// the row itself with the other side's display, and the guard on a member's document.</summary>
internal static class MembershipRows
{
    public static TableEntity Entity(string partition, string rowKey, string? display) =>
        new(partition, rowKey) { [ResourceEntityMapper.DisplayProperty] = display };

    /// <summary>The guard on a member's document: it fails (404) once the user is deleted, and marks the user changed.</summary>
    public static TableTransactionAction TouchUser(string partition, string userId, DateTimeOffset now) =>
        new(TableTransactionActionType.UpdateMerge,
            new TableEntity(partition, ResourceKind.User.DocumentKey(userId)) { [ResourceEntityMapper.LastModifiedProperty] = now }, ETag.All);
}
