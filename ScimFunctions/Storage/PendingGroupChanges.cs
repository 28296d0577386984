using System.Text;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Scim.Patch;

namespace ScimFunctions.Storage;

/// <summary>
/// A group write whose member change is larger than one transaction holds (more than
/// <see cref="MembershipStore.MembersInReplace"/> users) commits the document first, then the members; a member
/// change alone over <see cref="MembershipStore.MembersPerTransaction"/> users takes several transactions. So that
/// an interruption cannot leave the change half done, the first transaction (the document's, or the first of the
/// members') also records the member change it starts (<c>pendingChange|{groupId}|{part}</c> rows), every member
/// transaction stamps the group's <c>lastModified</c> with the document write's time, and the request removes the
/// rows once the last member transaction has committed (1 transaction more). The sweep (<see cref="ResumeAsync"/>)
/// finishes a change whose rows are older than <see cref="ResumeAfter"/> if the group still carries the stamp (no
/// write of it got in since); otherwise the later write stands (the group was changed again or deleted) and the rows
/// are removed. A replace-all records the member set it asked for (bounded by the request body), any other change
/// its adds and removes; resuming re-reads the member ids and writes only what is still missing.
/// </summary>
public sealed class PendingGroupChanges
{
    /// <summary>Table strings hold 32K UTF-16 characters; the ids are written in pieces below that.</summary>
    private const int CharactersPerProperty = 30_000;

    /// <summary>Pieces per row, keeping a row (UTF-16) well under the 1 MiB entity limit.</summary>
    private const int PiecesPerRow = 12;

    private const string StampProperty = "Stamp";
    private const string ExactProperty = "Exact";
    private const string PiecePrefix = "P";

    /// <summary>Longer than any request runs, so the sweep never races the request that wrote the rows.</summary>
    public static readonly TimeSpan ResumeAfter = TimeSpan.FromMinutes(2);

    private readonly TableClient _table;
    private readonly MembershipStore _memberships;
    private readonly TimeProvider _time;

    internal PendingGroupChanges(TableClient table, MembershipStore memberships, TimeProvider time)
    {
        _table = table;
        _memberships = memberships;
        _time = time;
    }

    /// <summary>The rows recording <paramref name="plan"/>, for the document write's transaction.</summary>
    internal static List<TableTransactionAction> Record(string partition, string groupId, DateTimeOffset stamp, MembershipPlan plan)
    {
        var exact = plan.Kept is not null;
        var tokens = exact
            ? plan.Kept!.Keys.Concat(plan.ToAdd.Keys).Order(StringComparer.Ordinal)
            : plan.ToAdd.Keys.Order(StringComparer.Ordinal).Select(id => "+" + id).Concat(plan.ToRemove.Order(StringComparer.Ordinal).Select(id => "-" + id));
        var text = string.Join(',', tokens);
        var pieces = Enumerable.Range(0, Math.Max(1, (text.Length + CharactersPerProperty - 1) / CharactersPerProperty))
            .Select(i => text.Substring(i * CharactersPerProperty, Math.Min(CharactersPerProperty, text.Length - i * CharactersPerProperty)))
            .ToList();
        return pieces.Chunk(PiecesPerRow).Select((rowPieces, part) =>
        {
            var row = new TableEntity(partition, PartitionLayout.PendingChange(groupId, part)) { [StampProperty] = stamp, [ExactProperty] = exact };
            for (var i = 0; i < rowPieces.Length; i++) row[PiecePrefix + i.ToString("D2")] = rowPieces[i];
            return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
        }).ToList();
    }

    /// <summary>Removes the rows <see cref="Record"/> wrote (1 transaction).</summary>
    internal async Task ClearAsync(string partition, string groupId, int parts, CancellationToken cancellationToken)
    {
        var deletes = Enumerable.Range(0, parts)
            .Select(part => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.PendingChange(groupId, part)), ETag.All));
        try
        {
            await _table.SubmitTransactionAsync(deletes, cancellationToken);
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 404)
        {
            // Already removed (a sweep finished it): nothing is left to clear.
        }
    }

    /// <summary>Finishes or drops every recorded change of the directory older than <see cref="ResumeAfter"/>:
    /// 1 key-range read (normally empty), then per change the group read, its member ids and the missing writes.
    /// Returns how many were finished or dropped.</summary>
    /// <param name="olderThan">how old a record must be (default <see cref="ResumeAfter"/>; tests that run the sweep
    /// at once pass zero)</param>
    public async Task<int> ResumeAsync(string directoryId, CancellationToken cancellationToken, TimeSpan? olderThan = null)
    {
        var minimumAge = olderThan ?? ResumeAfter;
        var partition = PartitionLayout.Partition(directoryId);
        var byGroup = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(KeyRange.Under(partition, PartitionLayout.PendingChangePrefix), cancellationToken: cancellationToken))
        {
            var groupId = row.RowKey[PartitionLayout.PendingChangePrefix.Length..row.RowKey.LastIndexOf(PartitionLayout.Separator)];
            if (!byGroup.TryGetValue(groupId, out var rows)) byGroup[groupId] = rows = [];
            rows.Add(row);
        }
        var handled = 0;
        foreach (var (groupId, rows) in byGroup)
        {
            var stamp = rows[0].GetDateTimeOffset(StampProperty) ?? default;
            if (_time.GetUtcNow() - stamp < minimumAge) continue;
            var group = await _memberships.ReadGroupAsync(partition, groupId, cancellationToken);
            if (group is not null && SameInstant(group.LastModified, stamp))
            {
                await FinishAsync(directoryId, group, rows, stamp, cancellationToken);
            }
            await ClearAsync(partition, groupId, rows.Count, cancellationToken);
            handled++;
        }
        return handled;
    }

    private async Task FinishAsync(string directoryId, StoredResource group, List<TableEntity> rows, DateTimeOffset stamp, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var row in rows.OrderBy(r => r.RowKey, StringComparer.Ordinal))
        {
            foreach (var piece in row.Keys.Where(k => k.StartsWith(PiecePrefix, StringComparison.Ordinal) && k.Length == 3).Order(StringComparer.Ordinal))
            {
                text.Append(row.GetString(piece));
            }
        }
        var tokens = text.Length == 0 ? [] : text.ToString().Split(',');
        MembershipChange change;
        if (rows[0].GetBoolean(ExactProperty) == true)
        {
            change = new MembershipChange(true, tokens.Select(id => new MemberRef(id)).ToList(), []);
        }
        else
        {
            // Only what the interrupted request had not written yet, so the log and the outbox get no repeats.
            var members = await _memberships.MemberIdsAsync(directoryId, group.Id, cancellationToken);
            change = new MembershipChange(false,
                tokens.Where(t => t[0] == '+' && !members.Contains(t[1..])).Select(t => new MemberRef(t[1..])).ToList(),
                tokens.Where(t => t[0] == '-' && members.Contains(t[1..])).Select(t => t[1..]).ToList());
        }
        while (true)
        {
            try
            {
                var plan = await _memberships.PlanAsync(directoryId, group.Id, change, cancellationToken);
                await _memberships.CommitAsync(directoryId, group, plan, cancellationToken, groupStamp: stamp);
                return;
            }
            catch (InvalidStoreValueException gone) when (gone.OffendingValues.Count > 0)
            {
                // Users deleted since the request: their membership went with them.
                var missing = gone.OffendingValues.ToHashSet(StringComparer.Ordinal);
                change = change with { Added = change.Added.Where(m => !missing.Contains(m.Value)).ToList() };
            }
        }
    }

    /// <summary>Table Storage keeps times to the tick, Azurite may not: a millisecond apart is the same write.</summary>
    private static bool SameInstant(DateTimeOffset left, DateTimeOffset right) => Math.Abs((left - right).Ticks) < TimeSpan.TicksPerMillisecond;
}
