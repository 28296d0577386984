using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Directories;
using ScimFunctions.Roles;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Roles;

/// <summary>Keeps the messages the app would send, with their size as encoded on the wire (Base64 of UTF-8),
/// so fan-out tests can run every message to the end without a shared queue.</summary>
public sealed class CapturingRecomputeQueue() : RoleRecomputeQueue(StorageClients.CreateQueueServiceClient(TestStorage.Configuration()))
{
    public ConcurrentQueue<RoleRecomputeMessage> Pending { get; } = new();
    public ConcurrentQueue<int> EncodedSizes { get; } = new();
    public int Sent => EncodedSizes.Count;

    public override Task SendAsync(IEnumerable<RoleRecomputeMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            EncodedSizes.Enqueue(Convert.ToBase64String(Encoding.UTF8.GetBytes(message.Serialize())).Length);
            Pending.Enqueue(message);
        }
        return Task.CompletedTask;
    }

    /// <summary>Delayed messages, with their delay; they are pending at once (a test drains them when it chooses).</summary>
    public ConcurrentQueue<(RoleRecomputeMessage Message, TimeSpan Delay)> Delayed { get; } = new();

    public override Task SendLaterAsync(RoleRecomputeMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        Delayed.Enqueue((message, delay));
        return SendAsync([message], cancellationToken);
    }
}

/// <summary>The roles services over a <see cref="StoreFixture"/> (counted round trips, fresh directory) and a capturing queue.</summary>
public sealed class RoleWorld
{
    private RoleWorld(StoreFixture fixture, RoleOptions options, string tableName, TimeProvider time)
    {
        Fixture = fixture;
        Options = options;
        Time = time;
        Data = new ScimDataTable(fixture.Service, new ScimStorageOptions { TableName = tableName });
        Roles = new RoleStore(Data, Time);
        Outbox = new RecomputeOutboxStore(Data);
        Recomputer = new RoleRecomputer(new RoleRecomputeStore(Data), Roles, options, Time, NullLogger<RoleRecomputer>.Instance);
        Directories = new DirectoryStore(new EnsuredTable(new TableServiceClient(TestStorage.ConnectionString), "RoleTestDirectories"), TimeProvider.System);
        Sweeper = new OutboxSweeper(Outbox, Directories, Queue, options, Time, NullLogger<OutboxSweeper>.Instance);
        Dispatcher = new RecomputeDispatcher(Outbox, new ChangeLogStore(Data), Recomputer, Queue, Sweeper, options, Time);
    }

    public StoreFixture Fixture { get; }
    public ScimStore Store => Fixture.Store;
    public string Directory => Fixture.Directory;
    public RoleOptions Options { get; }

    /// <summary>The clock of the roles services (a test that moves time gives a fake one starting at the real time,
    /// since the storage writers stamp their rows with the real time).</summary>
    public TimeProvider Time { get; }
    public ScimDataTable Data { get; }
    public DirectoryStore Directories { get; }
    public RoleStore Roles { get; }
    public RecomputeOutboxStore Outbox { get; }
    public RoleRecomputer Recomputer { get; }
    public CapturingRecomputeQueue Queue { get; } = new();
    public OutboxSweeper Sweeper { get; }
    public RecomputeDispatcher Dispatcher { get; }

    public static async Task<RoleWorld> CreateAsync(Action<RoleOptions>? configure = null, string tableName = StoreFixture.TableName, TimeProvider? time = null)
    {
        var options = new RoleOptions();
        configure?.Invoke(options);
        var world = new RoleWorld(await StoreFixture.CreateAsync(tableName), options, tableName, time ?? TimeProvider.System);
        await world.Data.GetAsync(CancellationToken.None); // created once here, so counted round trips are the tests' own
        world.Fixture.Counter.Reset();
        return world;
    }

    /// <summary>Handles captured messages until none are left (what the queue trigger would do); returns how many.</summary>
    public async Task<int> DrainAsync()
    {
        var handled = 0;
        while (Queue.Pending.TryDequeue(out var message))
        {
            await Dispatcher.HandleAsync(message, CancellationToken.None);
            handled++;
        }
        return handled;
    }

    public async Task<List<string>> CreateUsersAsync(int count, string prefix = "user")
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            ids[i] = (await Store.Users.CreateAsync(Directory, new JsonObject { ["userName"] = $"{prefix}{i}@example.com", ["active"] = true })).Id);
        return [.. ids];
    }

    public async Task<string> CreateGroupAsync(string displayName) =>
        (await Store.Groups.CreateAsync(Directory, new JsonObject { ["displayName"] = displayName })).Id;

    public async Task DefineRolesAsync(params string[] keys)
    {
        foreach (var key in keys) await Roles.PutRoleAsync(Directory, new RoleDefinition(key, key.ToUpperInvariant(), null), CancellationToken.None);
    }

    public async Task<IReadOnlyList<string>> RolesOfAsync(string userId) =>
        (await Roles.GetAssignmentAsync(Directory, userId, CancellationToken.None))?.Roles ?? [];

    public Task<List<string>> OutboxAsync() => Fixture.RowKeysAsync(PartitionLayout.OutboxPrefix);
}
