using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>The optimistic write of a single row: added when it was not read, else replaced If-Match the version read.</summary>
public static class ConditionalTableWrite
{
    /// <summary>The write's response, or null when another writer was first (409 on add, 412 on replace).</summary>
    public static async Task<Response?> TryAddOrReplaceAsync(TableClient client, ITableEntity entity, string? etagRead, CancellationToken cancellationToken)
    {
        try
        {
            return etagRead is null
                ? await client.AddEntityAsync(entity, cancellationToken)
                : await client.UpdateEntityAsync(entity, new ETag(etagRead), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException conflict) when (conflict.Status is 409 or 412)
        {
            return null;
        }
    }
}
