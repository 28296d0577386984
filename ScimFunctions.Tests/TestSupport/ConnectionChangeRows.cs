using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.TestSupport;

/// <summary>
/// Change-log rows of a directory's connection state (connected, failing): written by the request log's flush on
/// its own schedule, not by the request that caused them, so row snapshots taken around requests leave them out.
/// </summary>
public static class ConnectionChangeRows
{
    public static bool Is(TableEntity row) =>
        row.RowKey.StartsWith(PartitionLayout.ChangePrefix, StringComparison.Ordinal)
        && row.GetString(ChangeLog.KindProperty) == ChangeLog.DirectoryKind;
}
