using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>Reads a storage failure: its status and, in a transaction, which operation failed.</summary>
internal static class TableFailures
{
    public static bool IsStatus(this RequestFailedException failure, int status, int? actionIndex = null) =>
        failure.Status == status &&
        (actionIndex is null || failure is not TableTransactionFailedException t || t.FailedTransactionActionIndex == actionIndex);
}
