using Microsoft.Extensions.Logging;
using ScimFunctions.Auth;

namespace ScimFunctions.Directories;

/// <summary>Directory life cycle for the management API: the table rows, their tokens and the auth caches.</summary>
public sealed class DirectoryService(
    DirectoryStore store,
    TokenService tokens,
    AuthCaches caches,
    TimeProvider time,
    ILogger<DirectoryService> logger)
{
    public Task<ScimDirectory> CreateAsync(string displayName, DirectoryProvider provider, CancellationToken cancellationToken) =>
        store.CreateAsync(displayName, provider, cancellationToken);

    /// <summary>The directory, or null when it does not exist or is being deleted.</summary>
    public async Task<ScimDirectory?> GetAsync(string directoryId, CancellationToken cancellationToken)
    {
        var directory = await store.GetAsync(directoryId, cancellationToken);
        return directory is { State: DirectoryState.Deleting } ? null : directory;
    }

    public async Task<IReadOnlyList<ScimDirectory>> ListAsync(CancellationToken cancellationToken) =>
        (await store.ListAsync(cancellationToken)).Where(d => d.State != DirectoryState.Deleting).OrderBy(d => d.Created).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();

    public Task<ScimDirectory?> RenameAsync(string directoryId, string displayName, CancellationToken cancellationToken) =>
        ChangeAsync(directoryId, d => d.DisplayName == displayName ? d : d with { DisplayName = displayName }, cancellationToken);

    /// <summary>Sets who may frame the directory's portal pages (origins as <see cref="ScimDirectory.NormaliseFrameAncestor"/> returns them).</summary>
    public Task<ScimDirectory?> SetPortalFrameAncestorsAsync(string directoryId, IReadOnlyList<string> origins, CancellationToken cancellationToken) =>
        ChangeAsync(directoryId, d => d.PortalFrameAncestors.SequenceEqual(origins, StringComparer.Ordinal) ? d : d with { PortalFrameAncestors = origins }, cancellationToken);

    public Task<ScimDirectory?> SetProviderAsync(string directoryId, DirectoryProvider provider, CancellationToken cancellationToken) =>
        ChangeAsync(directoryId, d => d.Provider == provider ? d : d with { Provider = provider }, cancellationToken);

    public Task<ScimDirectory?> SetEnabledAsync(string directoryId, bool enabled, CancellationToken cancellationToken)
    {
        var wanted = enabled ? DirectoryState.Active : DirectoryState.Disabled;
        return ChangeAsync(directoryId, d => d.State == wanted ? d : d with { State = wanted }, cancellationToken);
    }

    /// <summary>
    /// Marks the directory as deleting (SCIM requests are refused from then on) and revokes its tokens at
    /// once; <see cref="DirectoryPurger"/> removes the data later. False when there is no such directory.
    /// The mark is the commit: if revoking fails after it, the delete still succeeds and the purge revokes the rest.
    /// </summary>
    public async Task<bool> DeleteAsync(string directoryId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var marked = await store.UpdateAsync(
            directoryId,
            d => d.State == DirectoryState.Deleting ? d : d with { State = DirectoryState.Deleting, DeletionRequested = now },
            cancellationToken);
        if (marked is null) return false;
        caches.Directories.Invalidate(directoryId);
        try
        {
            await tokens.RevokeAllAsync(directoryId, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The directory is already refused; answering a failure now would only invite a retry of a done delete.
            logger.LogWarning(failure, "Directory {DirectoryId} marked for deletion; revoking its tokens failed and is left to the purge.", directoryId);
            return true;
        }
        logger.LogInformation("Directory {DirectoryId} marked for deletion; its tokens are revoked.", directoryId);
        return true;
    }

    private async Task<ScimDirectory?> ChangeAsync(string directoryId, Func<ScimDirectory, ScimDirectory> change, CancellationToken cancellationToken)
    {
        // A directory being deleted is gone as far as admins are concerned: it cannot be renamed or re-enabled.
        var changed = await store.UpdateAsync(directoryId, d => d.State == DirectoryState.Deleting ? d : change(d), cancellationToken);
        caches.Directories.Invalidate(directoryId);
        return changed is { State: DirectoryState.Deleting } ? null : changed;
    }
}
