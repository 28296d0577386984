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
/// members') also records the member change it starts (<c>pendingChange|{groupId}|{writeKey}|{part}</c> rows, a
/// record of its own, so concurrent writes of one group never overwrite or remove each other's), every member
/// transaction stamps the group's <c>lastModified</c> with the document write's time, and the request removes its
/// rows once the last member transaction has committed (1 transaction more). The sweep (<see cref="ResumeAsync"/>)
/// takes a group's records older than <see cref="ResumeAfter"/> oldest first and finishes each unless a write begun
/// after it got in (the group's stamp is later than the record's: the later write stands), or the group is gone;
/// then it removes the rows. A write begun earlier that was still running stamps an earlier time, so it does not
/// keep a cut later one from being finished. A replace-all records the member set it asked for (bounded by the
/// request body), any other change its adds and removes; resuming re-reads the member ids and writes only what is
/// still missing.
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

    /// <summary>The rows recording <paramref name="plan"/>, for the document write's transaction, and the key that
    /// names them (the write's time, then a random tail: two writes of one group in one tick still differ).</summary>
    internal static (string WriteKey, List<TableTransactionAction> Rows) Record(string partition, string groupId, DateTimeOffset stamp, MembershipPlan plan)
    {
        var writeKey = stamp.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + Random.Shared.Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var exact = plan.Kept is not null;
        var tokens = exact
            ? plan.Kept!.Keys.Concat(plan.ToAdd.Keys).Order(StringComparer.Ordinal)
            : plan.ToAdd.Keys.Order(StringComparer.Ordinal).Select(id => "+" + id).Concat(plan.ToRemove.Order(StringComparer.Ordinal).Select(id => "-" + id));
        var text = string.Join(',', tokens);
        var pieces = Enumerable.Range(0, Math.Max(1, (text.Length + CharactersPerProperty - 1) / CharactersPerProperty))
            .Select(i => text.Substring(i * CharactersPerProperty, Math.Min(CharactersPerProperty, text.Length - i * CharactersPerProperty)))
            .ToList();
        return (writeKey, pieces.Chunk(PiecesPerRow).Select((rowPieces, part) =>
        {
            var row = new TableEntity(partition, PartitionLayout.PendingChange(groupId, writeKey, part)) { [StampProperty] = stamp, [ExactProperty] = exact };
            for (var i = 0; i < rowPieces.Length; i++) row[PiecePrefix + i.ToString("D2")] = rowPieces[i];
            return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
        }).ToList());
    }

    /// <summary>Removes the rows <see cref="Record"/> wrote (1 transaction).</summary>
    internal async Task ClearAsync(string partition, string groupId, string writeKey, int parts, CancellationToken cancellationToken)
    {
        var deletes = Enumerable.Range(0, parts)
            .Select(part => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, PartitionLayout.PendingChange(groupId, writeKey, part)), ETag.All));
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
        // In key order: a group's records oldest first, each record's rows together.
        var records = new List<(string GroupId, string WriteKey, List<TableEntity> Rows)>();
        await foreach (var row in _table.QueryAsync<TableEntity>(KeyRange.Under(partition, PartitionLayout.PendingChangePrefix), cancellationToken: cancellationToken))
        {
            var segments = row.RowKey[PartitionLayout.PendingChangePrefix.Length..].Split(PartitionLayout.Separator);
            if (segments.Length is not (2 or 3)) continue;
            var writeKey = segments.Length == 3 ? segments[1] : ""; // two segments: a record from before per-write keys
            if (records.Count == 0 || records[^1].GroupId != segments[0] || records[^1].WriteKey != writeKey) records.Add((segments[0], writeKey, []));
            records[^1].Rows.Add(row);
        }
        var handled = 0;
        foreach (var (groupId, writeKey, rows) in records)
        {
            var stamp = rows[0].GetDateTimeOffset(StampProperty) ?? default;
            if (_time.GetUtcNow() - stamp < minimumAge) continue;
            var group = await _memberships.ReadGroupAsync(partition, groupId, cancellationToken);
            if (group is not null && NotLater(group.LastModified, stamp))
            {
                await FinishAsync(directoryId, group, rows, stamp, cancellationToken);
            }
            await ClearAsync(partition, groupId, writeKey, rows.Count, cancellationToken);
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

    /// <summary>Whether the group's stamp is the record's write or an earlier one (no write begun after the record's
    /// got in). Table Storage keeps times to the tick, Azurite may not: a millisecond apart is the same write.</summary>
    private static bool NotLater(DateTimeOffset groupStamp, DateTimeOffset recordStamp) => (groupStamp - recordStamp).Ticks < TimeSpan.TicksPerMillisecond;
}
