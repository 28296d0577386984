using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Directories;

/// <summary>
/// Directory rows in Table Storage, all in one partition (a few thousand customers at most), so listing is
/// one partition query and a directory is one point read.
/// </summary>
public sealed class DirectoryStore(EnsuredTable table, TimeProvider time)
{
    private const string Partition = PartitionLayout.DirectoriesPartition;
    private const int MaxUpdateAttempts = 5;

    public async Task<ScimDirectory> CreateAsync(string displayName, DirectoryProvider provider, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var directory = new ScimDirectory(ScimDirectory.NewId(), displayName, provider, DirectoryState.Active, now, now) { EmailIndexedFromStart = true };
        await client.AddEntityAsync(ToEntity(directory), cancellationToken);
        return directory;
    }

    public async Task<ScimDirectory?> GetAsync(string directoryId, CancellationToken cancellationToken)
    {
        if (!ScimDirectory.IsValidId(directoryId)) return null;
        var client = await table.GetAsync(cancellationToken);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(Partition, directoryId, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<ScimDirectory>> ListAsync(CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var result = new List<ScimDirectory>();
        await foreach (var entity in client.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }
        return result;
    }

    public async Task<IReadOnlyList<ScimDirectory>> ListDeletingAsync(CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var deleting = nameof(DirectoryState.Deleting);
        var result = new List<ScimDirectory>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and State eq {deleting}");
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }
        return result;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current row under its ETag, re-reading on a concurrent write.
    /// Returns null when the directory does not exist; <paramref name="change"/> returning the same instance
    /// writes nothing.
    /// </summary>
    public async Task<ScimDirectory?> UpdateAsync(string directoryId, Func<ScimDirectory, ScimDirectory> change, CancellationToken cancellationToken)
    {
        if (!ScimDirectory.IsValidId(directoryId)) return null;
        var client = await table.GetAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var response = await client.GetEntityIfExistsAsync<TableEntity>(Partition, directoryId, cancellationToken: cancellationToken);
            if (!response.HasValue) return null;
            var current = FromEntity(response.Value!);
            var changed = change(current);
            if (ReferenceEquals(changed, current)) return current;
            changed = changed with { LastModified = time.GetUtcNow() };
            try
            {
                await client.UpdateEntityAsync(ToEntity(changed), response.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return changed;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxUpdateAttempts)
            {
                // Someone else wrote in between; apply the change to their version.
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
        }
    }

    public async Task RemoveAsync(string directoryId, CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        await client.DeleteEntityAsync(Partition, directoryId, ETag.All, cancellationToken);
    }

    private static TableEntity ToEntity(ScimDirectory directory)
    {
        var entity = new TableEntity(Partition, directory.Id)
        {
            ["DisplayName"] = directory.DisplayName,
            ["Provider"] = directory.Provider.ToString(),
            ["State"] = directory.State.ToString(),
            ["Created"] = directory.Created,
            ["LastModified"] = directory.LastModified,
        };
        if (directory.DeletionRequested is { } requested) entity["DeletionRequested"] = requested;
        if (directory.PortalFrameAncestors.Count > 0) entity["PortalFrameAncestors"] = string.Join(' ', directory.PortalFrameAncestors);
        if (directory.EmailIndexedFromStart) entity["EmailIndexedFromStart"] = true;
        return entity;
    }

    private static ScimDirectory FromEntity(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("DisplayName") ?? "",
        Enum.TryParse<DirectoryProvider>(entity.GetString("Provider"), out var provider) ? provider : DirectoryProvider.Other,
        // An unreadable state is treated as the most restrictive one that still lets the purge finish.
        Enum.TryParse<DirectoryState>(entity.GetString("State"), out var state) ? state : DirectoryState.Disabled,
        entity.GetDateTimeOffset("Created") ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset("LastModified") ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset("DeletionRequested"))
    {
        PortalFrameAncestors = (entity.GetString("PortalFrameAncestors") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        EmailIndexedFromStart = entity.GetBoolean("EmailIndexedFromStart") == true,
    };
}
