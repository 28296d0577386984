using ScimFunctions.Activity;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>A directory's changes of connection state as <see cref="ChangeLog.DirectoryKind"/> rows of its change
/// log, each prompting delivery like a SCIM write does (the sweep delivers it if the prompt is lost).</summary>
public sealed class ChangeLogConnectionEvents(ChangeLogStore changes, WebhookPrompter prompter, TimeProvider time) : IConnectionEventLog
{
    public string NewKey() => PartitionLayout.Change(time.GetUtcNow());

    public async Task<bool> ContainsAsync(string directoryId, string key, CancellationToken cancellationToken) =>
        await changes.GetAsync(directoryId, key, cancellationToken) is not null;

    public async Task AppendAsync(string directoryId, string key, string state, CancellationToken cancellationToken)
    {
        await changes.AddDirectoryChangeAsync(directoryId, key, state, cancellationToken);
        prompter.Changed(directoryId);
    }
}
