namespace ScimFunctions.Activity;

/// <summary>Where a directory's changes of connection state are recorded durably (its change log, from which
/// webhooks deliver <c>directory.connected</c> and <c>directory.failing</c>).</summary>
public interface IConnectionEventLog
{
    /// <summary>A fresh key for an entry stamped now.</summary>
    string NewKey();

    /// <summary>Whether the entry at <paramref name="key"/> was written.</summary>
    Task<bool> ContainsAsync(string directoryId, string key, CancellationToken cancellationToken);

    /// <summary>Writes the entry (idempotent: an entry already at <paramref name="key"/> counts as written).</summary>
    Task AppendAsync(string directoryId, string key, string state, CancellationToken cancellationToken);
}
