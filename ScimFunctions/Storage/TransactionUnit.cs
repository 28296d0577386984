using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>Operations that must commit together (for example both directions of one membership and the
/// user's outbox row). A unit is never split across transactions. A droppable unit is left out, rather
/// than failing the whole write, when one of its rows turns out to be missing (404): removing a
/// non-member is harmless. <paramref name="Meaning"/> is what the unit stands for, for the per-transaction
/// operation (the change-log row names the members each transaction added or removed) and for the caller's
/// account of dropped units.</summary>
internal sealed record TransactionUnit(IReadOnlyList<TableTransactionAction> Actions, bool DropIfMissing, object? Meaning = null)
{
    /// <summary>Left out, rather than failing the write, when a row it inserts exists (409) and the batcher's
    /// <see cref="TransactionBatcher.PresentAmong"/> finds it present: adding a member twice changes nothing.</summary>
    public bool DropIfPresent { get; init; }

    /// <summary>Written with the first transaction that commits other units, never on its own (the record of a
    /// change that takes several transactions, see <see cref="PendingGroupChanges"/>).</summary>
    public bool RidesAlong { get; init; }
}
