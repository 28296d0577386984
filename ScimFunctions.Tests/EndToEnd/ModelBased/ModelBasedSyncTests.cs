using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Tests.Functions.Roles;
using ScimFunctions.Tests.TestSupport;
using Xunit.Abstractions;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>
/// A long IdP sync, as a model-based test: one directory per dialect (OneLogin, Entra ID, Okta), several clients
/// per directory at once sending seeded random operations over HTTP to the local host (queue trigger running),
/// an admin changing mappings and the default role meanwhile, and an in-memory model that follows only
/// acknowledged writes. At each checkpoint the clients stop, recomputes settle, and everything the directory
/// answers is compared with the model. A difference fails with the seed and the history of each resource.
/// <para>
/// Size: <c>SCIM_MODEL_OPERATIONS</c> (total IdP operations, default 2400), <c>SCIM_MODEL_SEED</c> (default: a
/// new seed, printed), <c>SCIM_MODEL_CHECKPOINTS</c> (default 3).
/// </para>
/// </summary>
[Collection(RolesHostCollection.Name)]
public sealed class ModelBasedSyncTests(ITestOutputHelper output)
{
    private const int ClientsPerDirectory = 3;
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task A_random_sync_in_every_dialect_ends_with_users_groups_roles_holders_and_feed_exactly_as_the_model_says()
    {
        var seed = Setting("SCIM_MODEL_SEED", Random.Shared.Next());
        var operations = Setting("SCIM_MODEL_OPERATIONS", 2400);
        var checkpoints = Math.Max(1, Setting("SCIM_MODEL_CHECKPOINTS", 3));
        output.WriteLine($"Model-based sync: seed {seed}, {operations} operations, {checkpoints} checkpoints (SCIM_MODEL_SEED={seed} repeats the sequences).");

        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunTimers = false;
            options.AdjustHostJson = settings => settings with { VisibilityTimeout = TimeSpan.Zero };
            options.ConfigureServices = services => services.AddSingleton(new ChangeFeedOptions { SettleWindow = TimeSpan.Zero });
        });
        IdpDialect[] dialects = [new OneLoginDialect(), new EntraDialect(), new OktaDialect()];
        var runs = new List<DirectoryRun>();
        for (var d = 0; d < dialects.Length; d++) runs.Add(await DirectoryRun.StartAsync(host, dialects[d], seed + d * 1000));

        var perClientPerCheckpoint = Math.Max(1, operations / (dialects.Length * ClientsPerDirectory * checkpoints));
        for (var checkpoint = 1; checkpoint <= checkpoints; checkpoint++)
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(runs.Select(run => run.RunAsync(perClientPerCheckpoint)));
            foreach (var run in runs)
            {
                await run.SettleAsync(SettleLimit);
                var comparer = new SyncComparer(run.Scim, run.Api, run.Model);
                await comparer.CompareAsync();
                var report = run.Report(comparer, seed, checkpoint);
                Assert.True(report is null, report);
            }
            output.WriteLine($"Checkpoint {checkpoint}: {string.Join("; ", runs.Select(r => r.Summary))} in {clock.Elapsed.TotalSeconds:F0} s.");
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>One dialect's directory: its clients, its admin and its model.</summary>
    private sealed class DirectoryRun
    {
        private DirectoryRun(IdpDialect dialect, ManagementApi api, ScimClient scim, SyncModel model, List<SyncClient> clients, RoleAdmin admin, Random random)
        {
            Dialect = dialect;
            Api = api;
            Scim = scim;
            Model = model;
            Clients = clients;
            Admin = admin;
            Random = random;
        }

        public IdpDialect Dialect { get; }
        public ManagementApi Api { get; }
        public ScimClient Scim { get; }
        public SyncModel Model { get; }
        public List<SyncClient> Clients { get; }
        public RoleAdmin Admin { get; }
        public Random Random { get; }
        public string Summary => $"{Dialect.Name} {Model.Users.Count} users, {Model.DeletedUsers.Count} deleted, {Model.Groups.Count} groups";

        public static async Task<DirectoryRun> StartAsync(RunningLocalHost host, IdpDialect dialect, int seed)
        {
            var (api, scim) = await ManagementApi.NewDirectoryAsync(host, dialect.Name);
            var model = new SyncModel();
            var prefixes = Enumerable.Range(0, ClientsPerDirectory).Select(i => $"c{i}").ToList();
            var clients = prefixes.Select((p, i) => new SyncClient(scim, dialect, model, p, new Random(seed + i + 1))).ToList();
            var admin = new RoleAdmin(api, model, prefixes, new Random(seed));
            await admin.DefineRolesAsync();
            return new DirectoryRun(dialect, api, scim, model, clients, admin, new Random(seed - 1));
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
                Assert.True(DateTime.UtcNow < deadline, $"{Dialect.Name}: recomputes still pending after {limit}: {health.ToJsonString()}");
                await Task.Delay(200);
            }
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
}
