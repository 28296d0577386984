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
/// Size: <c>SCIM_MODEL_OPERATIONS</c> (total IdP operations; default 900, in the scale run 6,000),
/// <c>SCIM_MODEL_SEED</c> (default: a new seed, printed), <c>SCIM_MODEL_CHECKPOINTS</c> (default 2; scale run 4).
/// </para>
/// </summary>
[Collection(RolesHostCollection.Name)]
public sealed class ModelBasedSyncTests(ITestOutputHelper output)
{
    private const int ClientsPerDirectory = 3;
    // A mapping change's fan-out has a settle pass a minute after it (Roles:FanOutSettle); under a busy machine the
    // pass, its queue poll and the recomputes behind it can take a few minutes more.
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(300);

    [Fact]
    public Task A_random_sync_in_every_dialect_ends_with_users_groups_roles_holders_and_feed_exactly_as_the_model_says() =>
        RunAsync(defaultOperations: 900, defaultCheckpoints: 2);

    [Fact]
    [Trait("Category", "Scale")]
    public Task A_long_random_sync_in_every_dialect_still_matches_the_model_at_every_checkpoint() =>
        RunAsync(defaultOperations: 6000, defaultCheckpoints: 4);

    private async Task RunAsync(int defaultOperations, int defaultCheckpoints)
    {
        var seed = Setting("SCIM_MODEL_SEED", Random.Shared.Next());
        var operations = Setting("SCIM_MODEL_OPERATIONS", defaultOperations);
        var checkpoints = Math.Max(1, Setting("SCIM_MODEL_CHECKPOINTS", defaultCheckpoints));
        output.WriteLine($"Model-based sync: seed {seed}, {operations} operations, {checkpoints} checkpoints (SCIM_MODEL_SEED={seed} repeats the sequences).");

        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunTimers = false;
            options.AdjustHostJson = settings => settings with { VisibilityTimeout = TimeSpan.Zero };
            options.ConfigureServices = services => services.AddSingleton(new ChangeFeedOptions { SettleWindow = TimeSpan.Zero });
        });
        IdpDialect[] dialects = [new OneLoginDialect(), new EntraDialect(), new OktaDialect()];
        var runs = new List<SyncDirectoryRun>();
        for (var d = 0; d < dialects.Length; d++) runs.Add(await SyncDirectoryRun.StartAsync(host, dialects[d], seed + d * 1000, ClientsPerDirectory));

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
}
