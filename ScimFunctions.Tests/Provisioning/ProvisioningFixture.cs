using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ScimFunctions.Provisioning;
using ScimFunctions.Roles;
using ScimFunctions.Scim;
using ScimFunctions.Tests.Storage;

namespace ScimFunctions.Tests.Provisioning;

/// <summary>Records role recompute prompts; our own seam, not storage, so a fake is fine.</summary>
public sealed class RecordingRoleSignal : IRoleRecomputeSignal
{
    public ConcurrentQueue<(string DirectoryId, string[] UserIds)> Users { get; } = new();
    public ConcurrentQueue<(string DirectoryId, string GroupId)> Groups { get; } = new();
    public Exception? Failure { get; set; }

    public HashSet<string> SignalledUsers(string directoryId) =>
        Users.Where(u => u.DirectoryId == directoryId).SelectMany(u => u.UserIds).ToHashSet(StringComparer.Ordinal);

    public Task SignalUsersAsync(string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        Users.Enqueue((directoryId, userIds.ToArray()));
        return Failure is null ? Task.CompletedTask : Task.FromException(Failure);
    }

    public Task SignalGroupAsync(string directoryId, string groupId, CancellationToken cancellationToken)
    {
        Groups.Enqueue((directoryId, groupId));
        return Failure is null ? Task.CompletedTask : Task.FromException(Failure);
    }
}

/// <summary>The use cases over a <see cref="StoreFixture"/> (real SDK, Azurite, round-trip counter).</summary>
public sealed class ProvisioningFixture
{
    private ProvisioningFixture(StoreFixture storage)
    {
        Storage = storage;
        var store = storage.Store;
        var renderer = new ResourceRenderer(store);
        var signals = new RoleSignals([Signal], NullLogger<RoleSignals>.Instance);
        Get = new GetResourceQuery(store, renderer);
        List = new ListResourcesQuery(store, renderer);
        CreateUser = new CreateUserCommand(store, signals);
        ReplaceUser = new ReplaceUserCommand(store, renderer, signals);
        PatchUser = new PatchUserCommand(store, renderer, signals);
        DeleteUser = new DeleteUserCommand(store, signals);
        CreateGroup = new CreateGroupCommand(store, renderer, signals, NullLogger<CreateGroupCommand>.Instance);
        ReplaceGroup = new ReplaceGroupCommand(store, renderer, signals);
        PatchGroup = new PatchGroupCommand(store, renderer, signals);
        DeleteGroup = new DeleteGroupCommand(store, signals);
        Scope = new ScimScope(storage.Directory, $"https://scim.example.test/scim/{storage.Directory}/v2");
    }

    public StoreFixture Storage { get; }
    public RoundTripCounter Counter => Storage.Counter;
    public RecordingRoleSignal Signal { get; } = new();
    public ScimScope Scope { get; }
    public GetResourceQuery Get { get; }
    public ListResourcesQuery List { get; }
    public CreateUserCommand CreateUser { get; }
    public ReplaceUserCommand ReplaceUser { get; }
    public PatchUserCommand PatchUser { get; }
    public DeleteUserCommand DeleteUser { get; }
    public CreateGroupCommand CreateGroup { get; }
    public ReplaceGroupCommand ReplaceGroup { get; }
    public PatchGroupCommand PatchGroup { get; }
    public DeleteGroupCommand DeleteGroup { get; }

    public static async Task<ProvisioningFixture> CreateAsync() => new(await StoreFixture.CreateAsync());

    public ScimScope OtherDirectory() => new(Scope.DirectoryId + "x", Scope.BaseUrl.Replace(Scope.DirectoryId, Scope.DirectoryId + "x"));

    public static JsonObject UserBody(string userName, string? externalId = null, bool active = true) => new()
    {
        ["schemas"] = new JsonArray(ScimConstants.UserSchema),
        ["userName"] = userName,
        ["externalId"] = externalId,
        ["name"] = new JsonObject { ["givenName"] = "Given " + userName, ["familyName"] = "Family" },
        ["emails"] = new JsonArray(new JsonObject { ["value"] = userName + "@example.test", ["type"] = "work", ["primary"] = true }),
        ["active"] = active,
    };

    public static JsonObject GroupBody(string displayName, params string[] memberIds) => new()
    {
        ["schemas"] = new JsonArray(ScimConstants.GroupSchema),
        ["displayName"] = displayName,
        ["members"] = new JsonArray(memberIds.Select(id => (JsonNode?)new JsonObject { ["value"] = id }).ToArray()),
    };

    public static JsonObject Patch(params JsonObject[] operations) => new()
    {
        ["schemas"] = new JsonArray(ScimConstants.PatchOpSchema),
        ["Operations"] = new JsonArray(operations.Select(o => (JsonNode?)o).ToArray()),
    };

    public async Task<string> NewUserAsync(string userName) =>
        (await CreateUser.ExecuteAsync(Scope, UserBody(userName), AttributeSelection.All, default)).Id;

    public async Task<List<string>> NewUsersAsync(string prefix, int count)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => ids[i] = await NewUserAsync($"{prefix}{i:D4}"));
        return [.. ids];
    }

    public static AttributeSelection Excluding(params string[] names) => new([], names);
    public static AttributeSelection Only(params string[] names) => new(names, []);
}
