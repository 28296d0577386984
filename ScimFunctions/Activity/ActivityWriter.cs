using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScimFunctions.Auth;
using ScimFunctions.Directories;

namespace ScimFunctions.Activity;

/// <summary>
/// Moves buffered log entries to storage in the background: at most <see cref="ActivityOptions.FlushInterval"/>
/// after the first entry arrives, and once more on shutdown. Per flush and directory: one entity group
/// transaction per day partition and 100 entries, one status row read and write (see <see cref="ConnectionStatusUpdater"/>), and a token's last use when
/// it is due. A write storage refuses is dropped and counted, never retried, so a storage outage costs log
/// entries, never requests.
/// </summary>
public sealed class ActivityWriter(
    ActivityBuffer buffer,
    ActivityStore store,
    DirectoryStore directories,
    TokenMetadataStore tokens,
    ActivityOptions options,
    TimeProvider time,
    ILogger<ActivityWriter> logger,
    IConnectionEventLog? connectionEvents = null) : BackgroundService
{
    private const int MaxEntriesPerRound = 5_000;
    private static readonly TimeSpan DirectoryCacheLifetime = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly TokenUseThrottle tokenUses = new(options.TokenLastUsedInterval);
    private readonly ConnectionStatusUpdater status = new(store, options, time, connectionEvents);
    private readonly Dictionary<string, (ScimDirectory? Directory, DateTimeOffset ReadAt)> knownDirectories = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(options.FlushInterval, time, stoppingToken);
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync flushes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Stores everything buffered so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var drained = new List<ActivityEntry>();
                while (drained.Count < MaxEntriesPerRound && buffer.Reader.TryRead(out var entry)) drained.Add(entry);
                if (drained.Count == 0) return;
                foreach (var directory in drained.GroupBy(entry => entry.DirectoryId, StringComparer.Ordinal))
                {
                    await WriteDirectoryAsync(directory.Key, directory.ToList(), cancellationToken);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task WriteDirectoryAsync(string directoryId, List<ActivityEntry> entries, CancellationToken cancellationToken)
    {
        ScimDirectory? directory;
        try
        {
            directory = await DirectoryAsync(directoryId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Unwritten(directoryId, entries.Count, exception);
            return;
        }
        // Requests to a directory id that is no directory are not logged: nobody can read them.
        if (directory is null) return;

        var enriched = await EnrichAsync(directory, entries, cancellationToken);
        var written = new List<ActivityEntry>(enriched.Count);
        foreach (var day in enriched.GroupBy(entry => entry.At.UtcDateTime.Date))
        {
            foreach (var chunk in day.OrderByDescending(entry => entry.At).Chunk(ActivityStore.MaxTransactionSize))
            {
                try
                {
                    await store.WriteAsync(chunk, cancellationToken);
                    written.AddRange(chunk);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Unwritten(directoryId, chunk.Length, exception);
                }
            }
        }
        if (written.Count == 0) return;
        await UpdateStatusAsync(directoryId, written, cancellationToken);
        await MarkTokensUsedAsync(directoryId, written, cancellationToken);
    }

    private async Task<List<ActivityEntry>> EnrichAsync(ScimDirectory directory, List<ActivityEntry> entries, CancellationToken cancellationToken)
    {
        var provider = directory.Provider.ToString();
        var revokedAt = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        var result = new List<ActivityEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var hint = entry.Hint;
            if (hint?.Code == ActivityHints.UnknownOrRevokedToken && entry.TokenId is { } tokenId)
            {
                if (!revokedAt.TryGetValue(tokenId, out var revoked))
                {
                    revoked = await RevokedAtAsync(directory.Id, tokenId, cancellationToken);
                    revokedAt[tokenId] = revoked;
                }
                if (revoked is { } when) hint = ActivityHints.Revoked(tokenId, when);
            }
            result.Add(entry with { Provider = provider, Hint = hint });
        }
        return result;
    }

    private async Task<DateTimeOffset?> RevokedAtAsync(string directoryId, string tokenId, CancellationToken cancellationToken)
    {
        try
        {
            return (await tokens.GetAsync(directoryId, tokenId, cancellationToken))?.RevokedAt;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task UpdateStatusAsync(string directoryId, List<ActivityEntry> written, CancellationToken cancellationToken)
    {
        try
        {
            if (!await status.UpdateAsync(directoryId, written, cancellationToken))
            {
                logger.LogWarning("Connection status of directory {DirectoryId} not updated: other writers kept changing it.", directoryId);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Connection status of directory {DirectoryId} not updated ({ExceptionType}).", directoryId, exception.GetType().Name);
        }
    }

    private async Task MarkTokensUsedAsync(string directoryId, List<ActivityEntry> written, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var use in written.Where(entry => entry.Authenticated && entry.TokenId is not null).GroupBy(entry => entry.TokenId!, StringComparer.Ordinal))
        {
            if (!tokenUses.ShouldWrite(directoryId, use.Key, now)) continue;
            var last = use.MaxBy(entry => entry.At)!;
            try
            {
                await tokens.MarkUsedAsync(directoryId, use.Key, last.At, last.UserAgent, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                tokenUses.Forget(directoryId, use.Key);
                logger.LogWarning("Last use of token {TokenId} not recorded ({ExceptionType}).", use.Key, exception.GetType().Name);
            }
        }
    }

    private async Task<ScimDirectory?> DirectoryAsync(string directoryId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (knownDirectories.TryGetValue(directoryId, out var known) && now - known.ReadAt < DirectoryCacheLifetime) return known.Directory;
        var directory = await directories.GetAsync(directoryId, cancellationToken);
        if (knownDirectories.Count > 10_000) knownDirectories.Clear();
        knownDirectories[directoryId] = (directory, now);
        return directory;
    }

    private void Unwritten(string directoryId, int entries, Exception exception)
    {
        buffer.CountUnwritten(entries);
        logger.LogWarning("{Count} activity log entries of directory {DirectoryId} dropped: storage refused the write ({ExceptionType}).",
            entries, directoryId, exception.GetType().Name);
    }
}
