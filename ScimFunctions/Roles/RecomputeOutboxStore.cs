using Azure;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>
/// The outbox rows of a directory's partition (<c>outbox|</c>, <c>groupOutbox|</c>, <c>roleOutbox|</c>,
/// <c>directoryOutbox|all</c>, written by <see cref="OutboxRules"/>): what the sweep and the dispatcher
/// read and clear.
/// </summary>
public sealed class RecomputeOutboxStore(ScimDataTable data)
{
    /// <summary>The ids (last key segments) of the rows under <paramref name="prefix"/> last changed at or before
    /// <paramref name="cutoff"/>: 1 key-range read.</summary>
    public async Task<List<string>> ChangedBeforeAsync(string directoryId, string prefix, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            KeyRange.Under(PartitionLayout.Partition(directoryId), prefix), select: ["RowKey", OutboxRules.ChangedAtProperty], cancellationToken: cancellationToken))
        {
            if (IsOld(row, cutoff)) ids.Add(PartitionLayout.AfterPrefix(prefix, row.RowKey));
        }
        return ids;
    }

    /// <summary>Whether the directory-wide outbox row exists and was last changed at or before <paramref name="cutoff"/>: 1 point read.</summary>
    public async Task<bool> DirectoryOutboxChangedBeforeAsync(string directoryId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var everyone = await table.GetEntityIfExistsAsync<TableEntity>(
            PartitionLayout.Partition(directoryId), PartitionLayout.DirectoryOutbox, [OutboxRules.ChangedAtProperty], cancellationToken);
        return everyone.HasValue && IsOld(everyone.Value!, cutoff);
    }

    /// <summary>The version of an outbox row, or null if there is none: 1 point read.</summary>
    public async Task<string?> VersionOfAsync(string directoryId, string outboxKey, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var outbox = await table.GetEntityIfExistsAsync<TableEntity>(PartitionLayout.Partition(directoryId), outboxKey, ["RowKey"], cancellationToken);
        return outbox.HasValue ? outbox.Value!.ETag.ToString() : null;
    }

    /// <summary>An outbox row's version, storage timestamp and <c>ChangedAt</c>, or null if there is none: 1 point read.</summary>
    public async Task<OutboxStamp?> StampOfAsync(string directoryId, string outboxKey, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionLayout.Partition(directoryId), outboxKey, ["RowKey", "Timestamp", OutboxRules.ChangedAtProperty], cancellationToken);
        if (!row.HasValue) return null;
        var entity = row.Value!;
        var written = entity.Timestamp ?? DateTimeOffset.MinValue;
        return new OutboxStamp(entity.ETag.ToString(), written, entity.GetDateTimeOffset(OutboxRules.ChangedAtProperty) ?? written);
    }

    /// <summary>Deletes an outbox row if it is still at <paramref name="version"/>; a row changed or deleted meanwhile stays as it is.</summary>
    public async Task ClearIfUnchangedAsync(string directoryId, string outboxKey, string version, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        try
        {
            await table.DeleteEntityAsync(PartitionLayout.Partition(directoryId), outboxKey, new ETag(version), cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status is 404 or 412)
        {
            // Changed again meanwhile: that change's own fan-out (or the sweep) clears it.
        }
    }

    /// <summary>Rows per transaction when a fan-out records its users (the entity group transaction's limit).</summary>
    public const int UsersPerTransaction = 100;

    /// <summary>
    /// Records each user a fan-out page reaches as pending (<see cref="OutboxRules.FanOutReachedUser"/>), before
    /// the page's messages are sent: from then on the user's own row keeps it pending and swept until the user is
    /// recomputed, so clearing the fan-out's row loses nothing. ⌈users / 100⌉ transactions, up to 4 at once.
    /// </summary>
    public async Task MarkUsersPendingAsync(string directoryId, IReadOnlyList<string> userIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var partition = PartitionLayout.Partition(directoryId);
        await Parallel.ForEachAsync(userIds.Chunk(UsersPerTransaction), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (chunk, token) =>
            await table.SubmitTransactionAsync(chunk.Select(userId => OutboxRules.FanOutReachedUser(partition, userId, now)), token));
    }

    /// <summary>One page of the users a fan-out reaches (members, holders or every user), after <paramref name="after"/>: 1 read.</summary>
    public Task<(List<string> Keys, bool More)> FanOutPageAsync(string directoryId, string rowPrefix, string? after, int pageSize, CancellationToken cancellationToken) =>
        data.KeyPageAsync(directoryId, rowPrefix, after, pageSize, cancellationToken);

    /// <summary>One page of the rows under <paramref name="rowPrefix"/> written at or after <paramref name="since"/>
    /// (storage time), after <paramref name="after"/>: the range is filtered by the service, so only those rows
    /// are returned (1 read per page the service sends).</summary>
    public async Task<(List<string> Keys, bool More)> FanOutPageSinceAsync(string directoryId, string rowPrefix, string? after, DateTimeOffset since, int pageSize, CancellationToken cancellationToken)
    {
        var table = await data.GetAsync(cancellationToken);
        var filter = KeyRange.UnderAfter(PartitionLayout.Partition(directoryId), rowPrefix, after) + " and " + TableClient.CreateQueryFilter($"Timestamp ge {since}");
        return await LookAheadPage.TakeAsync(KeysAsync(table, filter, rowPrefix, LookAheadPage.RowsToRead(pageSize), cancellationToken), pageSize);
    }

    /// <summary>Which of <paramref name="sortedUserIds"/> (in key order) are members of the group: the group's
    /// member rows between the first and the last id, keys only (1 read per 1,000 rows).</summary>
    public async Task<HashSet<string>> MembersAmongAsync(string directoryId, string groupId, IReadOnlyList<string> sortedUserIds, CancellationToken cancellationToken)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        if (sortedUserIds.Count == 0) return members;
        var table = await data.GetAsync(cancellationToken);
        var prefix = PartitionLayout.MembersOfGroupPrefix(groupId);
        var wanted = sortedUserIds.ToHashSet(StringComparer.Ordinal);
        var filter = KeyRange.Between(PartitionLayout.Partition(directoryId), prefix + sortedUserIds[0], PartitionLayout.PrefixEnd(prefix + sortedUserIds[^1]));
        await foreach (var userId in KeysAsync(table, filter, prefix, 1000, cancellationToken))
        {
            if (wanted.Contains(userId)) members.Add(userId);
        }
        return members;
    }

    private static async IAsyncEnumerable<string> KeysAsync(TableClient table, string filter, string prefix, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(filter, pageSize, ["RowKey"], cancellationToken)) yield return PartitionLayout.AfterPrefix(prefix, row.RowKey);
    }

    private static bool IsOld(TableEntity row, DateTimeOffset cutoff) =>
        (row.GetDateTimeOffset(OutboxRules.ChangedAtProperty) ?? DateTimeOffset.MinValue) <= cutoff;
}
