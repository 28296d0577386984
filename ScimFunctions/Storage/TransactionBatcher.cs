using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// Packs units into entity group transactions of at most <see cref="MaxOperations"/> operations, each
/// starting with the same number of header operations, built per transaction from its own units (for
/// memberships: a merge on the group document, which fails if the group is gone and so guards against orphan
/// rows, and the transaction's change-log row). Batches are submitted as they fill, so a stream of any length
/// needs memory for one batch only.
/// </summary>
internal sealed class TransactionBatcher(
    TableClient table,
    CancellationToken cancellationToken,
    int headerCount = 0,
    Func<IReadOnlyList<TransactionUnit>, IEnumerable<TableTransactionAction>>? header = null)
{
    public const int MaxOperations = 100;

    private readonly List<TransactionUnit> _pending = [];
    private int _pendingOperations;

    /// <summary>Transactions committed so far (attempts that failed and were retried are not counted).</summary>
    public int Transactions { get; private set; }

    private readonly List<TransactionUnit> _dropped = [];

    /// <summary>Units that were dropped because a row they delete or update did not exist.</summary>
    public IReadOnlyList<TransactionUnit> Dropped => _dropped;

    /// <summary>Told of a failed header operation; true submits the batch again with a freshly built header.</summary>
    public Func<TableTransactionFailedException, bool>? RetryAfterHeaderFailure { get; init; }

    /// <summary>Asked, when a <see cref="TransactionUnit.DropIfPresent"/> unit's insert found its row, which of the
    /// pending such units are already stored: those are dropped (with the one that failed) and the rest sent again,
    /// so a batch of already-present units costs one failed transaction and one parallel read, not one try each.</summary>
    public Func<IReadOnlyList<TransactionUnit>, Task<IReadOnlyCollection<TransactionUnit>>>? PresentAmong { get; init; }

    private readonly List<TransactionUnit> _present = [];

    /// <summary>Units that were dropped because what they insert was already there.</summary>
    public IReadOnlyList<TransactionUnit> Present => _present;

    /// <summary>Told of each committed transaction's per-operation responses (header first).</summary>
    public Action<IReadOnlyList<Response>>? Committed { get; init; }

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
        // A unit that only rides along is never sent alone: it waits for the next unit to commit with.
        while (_pending.Any(u => !u.RidesAlong))
        {
            var actions = header is null ? new List<TableTransactionAction>() : header(_pending).ToList();
            if (actions.Count != headerCount) throw new InvalidOperationException("The header has not the declared number of operations.");
            actions.AddRange(_pending.SelectMany(u => u.Actions));
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                Transactions++;
                _pending.Clear();
                _pendingOperations = 0;
                Committed?.Invoke(response.Value);
            }
            catch (TableTransactionFailedException failure)
                when (failure.Status == 404 && UnitAt(failure.FailedTransactionActionIndex) is { DropIfMissing: true } missing)
            {
                _pending.Remove(missing);
                _pendingOperations -= missing.Actions.Count;
                _dropped.Add(missing);
            }
            catch (TableTransactionFailedException failure)
                when (failure.Status == 409 && PresentAmong is not null && UnitAt(failure.FailedTransactionActionIndex) is { DropIfPresent: true } conflicting)
            {
                var present = await PresentAmong(_pending.Where(u => u.DropIfPresent).ToList());
                foreach (var unit in present.Append(conflicting).Distinct())
                {
                    if (!_pending.Remove(unit)) continue;
                    _pendingOperations -= unit.Actions.Count;
                    _present.Add(unit);
                }
            }
            catch (TableTransactionFailedException failure)
                when (failure.FailedTransactionActionIndex < headerCount && RetryAfterHeaderFailure?.Invoke(failure) == true)
            {
                // The header was rebuilt by the caller's state change; submit the same units again.
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
