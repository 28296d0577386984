using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// The user and group counters of every directory, kept with the writes that change them: a create or delete
/// transaction carries one more operation, the merge of a count shard guarded by its ETag, so a count moves if
/// and only if its write commits, at no extra round trip. Each instance owns its own shards
/// (<c>count|{instance}{slot}</c>) and leases one to a single request at a time, so the ETag it caches is the
/// stored one and concurrent requests never conflict on a shard. Should the cached view be wrong anyway (an
/// outcome lost to a timeout, a shard folded by <see cref="DirectoryCounts"/>), the shard operation fails with
/// 412, 404 or 409: the shard is re-read (1 R) and the write retried. A refused write (uniqueness, version)
/// fails on its own operation and leaves the shard as it was.
/// </summary>
internal sealed class CountShards(ScimStorageOptions options)
{
    public const string UsersProperty = "Users";
    public const string GroupsProperty = "Groups";

    private readonly string _instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private readonly ConcurrentDictionary<string, ConcurrentBag<CountShard>> _free = new(StringComparer.Ordinal);
    private int _slots;

    /// <summary>Submits <paramref name="actions"/> with the change of <paramref name="kind"/>'s count by
    /// <paramref name="delta"/> appended as the last operation. Failures of the caller's own operations surface
    /// unchanged, with their indexes.</summary>
    public async Task<Response<IReadOnlyList<Response>>> SubmitAsync(
        TableClient table, string partition, ResourceKind kind, int delta, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var shard = Lease(partition);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (shard.Stale) await ReloadAsync(table, partition, shard, cancellationToken);
                var (users, groups) = kind == ResourceKind.User ? (shard.Users + delta, shard.Groups) : (shard.Users, shard.Groups + delta);
                var all = new List<TableTransactionAction>(actions) { Change(partition, shard, users, groups) };
                try
                {
                    var response = await table.SubmitTransactionAsync(all, cancellationToken);
                    (shard.Users, shard.Groups, shard.ETag) = (users, groups, response.Value[^1].Headers.ETag);
                    return response;
                }
                catch (TableTransactionFailedException failure) when (failure.FailedTransactionActionIndex == actions.Count && attempt < options.MaxConcurrencyRetries)
                {
                    // The shard is not as this instance saw it: nothing was written; read it and try again.
                    shard.Stale = true;
                }
                catch (TableTransactionFailedException failure) when (failure.FailedTransactionActionIndex is { } index && index < actions.Count)
                {
                    throw; // the caller's operation refused the write: nothing changed, the shard view holds
                }
                catch
                {
                    shard.Stale = true; // the outcome is unknown
                    throw;
                }
            }
        }
        finally
        {
            _free.GetOrAdd(partition, _ => []).Add(shard);
        }
    }

    private CountShard Lease(string partition)
    {
        if (_free.GetOrAdd(partition, _ => []).TryTake(out var shard)) return shard;
        // A fresh key no one else writes: it starts as an absent row at zero.
        var slot = Interlocked.Increment(ref _slots);
        return new CountShard(PartitionLayout.CountShard(_instance + slot.ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static TableTransactionAction Change(string partition, CountShard shard, long users, long groups)
    {
        var entity = new TableEntity(partition, shard.RowKey) { [UsersProperty] = users, [GroupsProperty] = groups };
        return shard.ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    private static async Task ReloadAsync(TableClient table, string partition, CountShard shard, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, shard.RowKey, [UsersProperty, GroupsProperty], cancellationToken);
        if (row.HasValue && row.Value is { } stored)
        {
            (shard.Users, shard.Groups, shard.ETag) = (stored.GetInt64(UsersProperty) ?? 0, stored.GetInt64(GroupsProperty) ?? 0, stored.ETag);
        }
        else
        {
            (shard.Users, shard.Groups, shard.ETag) = (0, 0, null);
        }
        shard.Stale = false;
    }
}
