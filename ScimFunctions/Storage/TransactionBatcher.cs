using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>Operations that must commit together (for example both directions of one membership and the
/// user's outbox row). A unit is never split across transactions. A droppable unit is left out, rather
/// than failing the whole write, when one of its rows turns out to be missing (404): removing a
/// non-member is harmless. <paramref name="Label"/> is what the unit means, for the per-transaction
/// operation (the change-log row names the members each transaction added or removed).</summary>
internal sealed record TransactionUnit(IReadOnlyList<TableTransactionAction> Actions, bool DropIfMissing, string? Label = null);

/// <summary>
/// Packs units into entity group transactions of at most <see cref="MaxOperations"/> operations, each
/// starting with the same header operations (for memberships: a merge on the group document, which
/// fails if the group is gone and so guards against orphan rows). Batches are submitted as they fill, so a
/// stream of any length needs memory for one batch only. An optional <paramref name="perTransaction"/> adds
/// one more header operation built from each transaction's own units (its change-log row).
/// </summary>
internal sealed class TransactionBatcher(
    TableClient table,
    IReadOnlyList<TableTransactionAction> header,
    CancellationToken cancellationToken,
    Func<IReadOnlyList<TransactionUnit>, TableTransactionAction>? perTransaction = null)
{
    private readonly int headerCount = header.Count + (perTransaction is null ? 0 : 1);

    public const int MaxOperations = 100;

    private readonly List<TransactionUnit> _pending = [];
    private int _pendingOperations;

    /// <summary>Transactions committed so far (attempts that failed and were retried are not counted).</summary>
    public int Transactions { get; private set; }

    private readonly List<TransactionUnit> _dropped = [];

    /// <summary>Units that were dropped because a row they delete or update did not exist.</summary>
    public IReadOnlyList<TransactionUnit> Dropped => _dropped;

    /// <summary>How many units of <paramref name="operationsPerUnit"/> operations fit in one transaction
    /// after <paramref name="headerOperations"/>.</summary>
    public static int UnitsPerTransaction(int headerOperations, int operationsPerUnit) =>
        (MaxOperations - headerOperations) / operationsPerUnit;

    public async Task AddAsync(TransactionUnit unit)
    {
        if (unit.Actions.Count + headerCount > MaxOperations) throw new ArgumentException("A unit does not fit in one transaction.");
        if (_pendingOperations + unit.Actions.Count + headerCount > MaxOperations) await FlushAsync();
        _pending.Add(unit);
        _pendingOperations += unit.Actions.Count;
    }

    public async Task FlushAsync()
    {
        while (_pending.Count > 0)
        {
            var actions = header.ToList();
            if (perTransaction is not null) actions.Add(perTransaction(_pending));
            actions.AddRange(_pending.SelectMany(u => u.Actions));
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                Transactions++;
                _pending.Clear();
                _pendingOperations = 0;
            }
            catch (TableTransactionFailedException failure)
                when (failure.Status == 404 && UnitAt(failure.FailedTransactionActionIndex) is { DropIfMissing: true } missing)
            {
                _pending.Remove(missing);
                _pendingOperations -= missing.Actions.Count;
                _dropped.Add(missing);
            }
        }
    }

    private TransactionUnit? UnitAt(int? actionIndex)
    {
        if (actionIndex is not int index) return null;
        index -= headerCount;
        if (index < 0) return null;
        foreach (var unit in _pending)
        {
            if (index < unit.Actions.Count) return unit;
            index -= unit.Actions.Count;
        }
        return null;
    }
}

internal static class TableFailures
{
    public static bool IsStatus(this RequestFailedException failure, int status, int? actionIndex = null) =>
        failure.Status == status &&
        (actionIndex is null || failure is not TableTransactionFailedException t || t.FailedTransactionActionIndex == actionIndex);
}
