using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ScimFunctions.Roles;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>One dialect's directory: its clients, its admin and its model.</summary>
public sealed record SyncDirectoryRun(IdpDialect Dialect, ManagementApi Api, ScimClient Scim, SyncModel Model, List<SyncClient> Clients, RoleAdmin Admin, Random Random)
{
    public string Summary => $"{Dialect.Name} {Model.Users.Count} users, {Model.DeletedUsers.Count} deleted, {Model.Groups.Count} groups";

    public static async Task<SyncDirectoryRun> StartAsync(RunningLocalHost host, IdpDialect dialect, int seed, int clientCount)
    {
        var (api, scim) = await ManagementApi.NewDirectoryAsync(host, dialect.Name);
        var model = new SyncModel();
        var prefixes = Enumerable.Range(0, clientCount).Select(i => $"c{i}").ToList();
        var clients = prefixes.Select((p, i) => new SyncClient(scim, dialect, model, p, new Random(seed + i + 1))).ToList();
        var admin = new RoleAdmin(api, model, prefixes, new Random(seed));
        await admin.DefineRolesAsync();
        return new SyncDirectoryRun(dialect, api, scim, model, clients, admin, new Random(seed - 1));
    }

    public Task RunAsync(int operationsPerClient)
    {
        var adminChanges = Math.Max(1, operationsPerClient / 15);
        return Task.WhenAll(Clients.Select(c => c.RunAsync(operationsPerClient)).Append(Admin.RunAsync(adminChanges, () => Random.Next(20, 200))));
    }

    /// <summary>Waits (bounded) until the directory has nothing pending: every recompute has been applied.</summary>
    public async Task SettleAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var health = await Api.GetAsync("/roles-health");
            if (health["pendingUsers"]!.GetValue<int>() == 0 && health["pendingFanOuts"]!.GetValue<int>() == 0) return;
            if (DateTime.UtcNow >= deadline) Assert.Fail($"{Dialect.Name}: recomputes still pending after {limit}: {health.ToJsonString()}{Environment.NewLine}{await PendingWorkAsync()}");
            await Task.Delay(200);
        }
    }

    /// <summary>What a stuck settle leaves: the directory's outbox rows and the messages waiting in the recompute queue.</summary>
    private async Task<string> PendingWorkAsync()
    {
        var lines = new List<string>();
        var table = new TableClient(TestStorage.ConnectionString, ScimStorageOptions.DefaultTableName);
        var partition = PartitionLayout.Partition(Api.DirectoryId);
        foreach (var prefix in PartitionLayout.OutboxPrefixes)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(KeyRange.Under(partition, prefix)))
            {
                lines.Add($"  row {row.RowKey} changed {row.GetDateTimeOffset(OutboxRules.ChangedAtProperty):O} written {row.Timestamp:O}");
            }
        }
        var queue = new QueueClient(TestStorage.ConnectionString, RoleQueues.Recompute);
        var properties = await queue.GetPropertiesAsync();
        lines.Add($"  recompute queue: about {properties.Value.ApproximateMessagesCount} messages");
        foreach (var message in (await queue.PeekMessagesAsync(32)).Value)
        {
            lines.Add($"  visible message (try {message.DequeueCount}): {Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()))}");
        }
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Null when the directory matches the model; else the seed, the differences and each resource's history.</summary>
    public string? Report(SyncComparer comparer, int seed, int checkpoint)
    {
        var unexpected = Clients.SelectMany(c => c.Unexpected).Concat(Admin.Unexpected).ToList();
        if (comparer.Differences.Count == 0 && unexpected.Count == 0) return null;
        var lines = new List<string> { $"{Dialect.Name} directory {Api.DirectoryId} differs from the model at checkpoint {checkpoint} (SCIM_MODEL_SEED={seed}):" };
        lines.AddRange(unexpected.Take(20).Select(u => "  unexpected answer: " + u));
        foreach (var (key, difference) in comparer.Differences.Take(20))
        {
            lines.Add($"  {key}: {difference}");
            lines.Add(Model.HistoryOf(key));
        }
        if (comparer.Differences.Count > 20) lines.Add($"  … and {comparer.Differences.Count - 20} more differences");
        lines.Add("  role configuration: " + Model.RoleConfigurationText());
        return string.Join(Environment.NewLine, lines);
    }
}
