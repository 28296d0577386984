namespace ScimFunctions.Provisioning.Bulk;

/// <summary>
/// The order in which a bulk request's operations run: request order, except that an operation referring to
/// <c>bulkId:x</c> waits until the POST with bulkId x has run (forward references, RFC 7644 §3.7.2). When every
/// waiting operation waits on another waiting one, their references form a cycle, which <see cref="Next"/> names.
/// </summary>
public sealed class BulkSchedule
{
    private readonly List<BulkOperation> pending;
    private readonly Dictionary<string, BulkOperation> creators = new(StringComparer.Ordinal);
    private readonly Dictionary<int, IReadOnlyList<string>> references = [];

    public BulkSchedule(IReadOnlyList<BulkOperation> operations)
    {
        pending = [.. operations];
        foreach (var operation in operations)
        {
            if (operation is { Method: "POST", BulkId: { } bulkId }) creators[bulkId] = operation;
            references[operation.Index] = BulkReferences.In(operation);
        }
    }

    public bool HasPending => pending.Count > 0;

    /// <summary>The bulkIds the operation refers to.</summary>
    public IReadOnlyList<string> ReferencesOf(BulkOperation operation) => references[operation.Index];

    /// <summary>Whether a POST of this request carries the bulkId.</summary>
    public bool Defines(string bulkId) => creators.ContainsKey(bulkId);

    /// <summary>The first waiting operation whose referenced POSTs have all run (whether they succeeded or not), or
    /// when there is none, the operations of a reference cycle (each refers to the next, the last to the first).</summary>
    public (BulkOperation? Ready, IReadOnlyList<BulkOperation> Cycle) Next()
    {
        var ready = pending.FirstOrDefault(operation => Waiting(operation).FirstOrDefault() is null);
        return ready is not null ? (ready, []) : (null, FindCycle());
    }

    public void Done(BulkOperation operation) => pending.Remove(operation);

    private IEnumerable<BulkOperation> Waiting(BulkOperation operation) =>
        references[operation.Index]
            .Select(bulkId => creators.GetValueOrDefault(bulkId))
            .Where(creator => creator is not null && pending.Contains(creator))!;

    /// <summary>Every waiting operation waits on another waiting one, so following "waits on" from any of them repeats.</summary>
    private List<BulkOperation> FindCycle()
    {
        var path = new List<BulkOperation>();
        var current = pending[0];
        while (!path.Contains(current))
        {
            path.Add(current);
            current = Waiting(current).First();
        }
        return path[path.IndexOf(current)..];
    }
}
