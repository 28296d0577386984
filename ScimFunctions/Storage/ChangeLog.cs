using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// The change log of a directory: every committed write of a user, a group, a membership or a role assignment
/// adds one change row (<see cref="PartitionLayout.Change"/>) in the same transaction as the write, so the log never
/// shows a change that did not happen and never misses one that did. Rows sort by the time the writer stamped
/// them; readers page through the range after a cursor, so reading costs what was changed, not what is stored.
/// <para>
/// Writers stamp before they submit, so a row can become visible slightly after a later-stamped one. Readers
/// therefore only read up to <c>now − settle window</c> (see the roles change feed), which must exceed the
/// longest a write takes from stamp to commit plus the clock skew between instances.
/// </para>
/// </summary>
public static class ChangeLog
{
    public const string KindProperty = "Kind";
    public const string OperationProperty = "Op";
    public const string IdProperty = "Id";

    /// <summary>Membership rows: the user ids added and removed in that transaction, comma-separated.</summary>
    public const string AddedProperty = "Added";
    public const string RemovedProperty = "Removed";

    /// <summary>Role rows: the role keys before and after the recompute (a JSON array, see <see cref="RoleRows"/>).</summary>
    public const string RolesBeforeProperty = "Before";
    public const string RolesAfterProperty = "After";

    public const string UserKind = "User";
    public const string GroupKind = "Group";
    public const string MembershipKind = "Membership";
    public const string RolesKind = "Roles";

    /// <summary>Directory rows: the connection state changed; the operation is the new state (<c>connected</c>,
    /// <c>failing</c>), the id the directory's. Written alone (the status lives in the activity table), at a key
    /// the status row claimed first, so each change of state is recorded once.</summary>
    public const string DirectoryKind = "Directory";

    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";

    public static TableEntity Entry(string partition, string kind, string operation, string id, DateTimeOffset at) =>
        new(partition, PartitionLayout.Change(at))
        {
            [KindProperty] = kind,
            [OperationProperty] = operation,
            [IdProperty] = id,
        };

    public static TableTransactionAction Add(TableEntity entry) => new(TableTransactionActionType.Add, entry);
}
