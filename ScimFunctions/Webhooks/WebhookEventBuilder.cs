using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Caching;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Directories;
using ScimFunctions.Provisioning;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>
/// Turns change rows into events carrying the resource's current state at delivery: a user with its groups and
/// roles, a group with its mapped roles (never its member list). A resource gone by then is <c>null</c>.
/// Cost per event: the user (document and memberships at once) and its role row; a group and the role map.
/// <para>
/// A state read is shared for a moment (<see cref="StateLifetime"/>) by every event that needs it: the runs of
/// a directory's endpoints build the same events at about the same time, and a user's creation and its first
/// roles arrive in one batch, so each is read once rather than once per endpoint and event. A shared read is
/// used for a change's event only if it began after this instance first saw the change's row (<see cref="ObserveAsync"/>):
/// seeing the row means it had committed, so the state is never older than the change it describes, however
/// late the row committed (the settle window bounds a row's stamp, not its commit). Each event gets its own copy.
/// </para>
/// </summary>
public sealed class WebhookEventBuilder
{
    /// <summary>Long enough for the runs one prompt starts on an instance; short, so state stays about as fresh
    /// as a read of its own would be.</summary>
    public static readonly TimeSpan StateLifetime = TimeSpan.FromSeconds(2);

    private const int Capacity = 10_000;

    private readonly GetResourceQuery resources;
    private readonly RoleStore roles;
    private readonly DirectoryOptions directories;
    private readonly BegunAfterCache<string, JsonElement?> states;

    /// <summary>When this instance first saw each change row, on the clock of <see cref="states"/>.</summary>
    private readonly CollapsingCache<string, long> observed;

    public WebhookEventBuilder(GetResourceQuery resources, RoleStore roles, DirectoryOptions directories, TimeProvider time)
    {
        this.resources = resources;
        this.roles = roles;
        this.directories = directories;
        states = new BegunAfterCache<string, JsonElement?>(time, StateLifetime, Capacity);
        observed = new CollapsingCache<string, long>(time, _ => StateLifetime, Capacity);
    }

    /// <summary>Records that the caller has just read these change rows (so they have committed): state read from
    /// now on may describe them. A run calls it once for its batch, before building, so the batch's events share
    /// reads; a row already seen keeps its first sighting, so another endpoint's run shares them too.</summary>
    public async Task ObserveAsync(string directoryId, IEnumerable<string> changeKeys, CancellationToken cancellationToken)
    {
        var now = states.Mark();
        foreach (var key in changeKeys) await observed.GetAsync(ObservationKey(directoryId, key), _ => Task.FromResult(now), cancellationToken);
    }

    private static string ObservationKey(string directoryId, string changeKey) => directoryId + "|" + changeKey;

    public IEnumerable<(string Type, string? UserId, string? GroupId, int Index)> Expand(ChangeEntry change)
    {
        switch (change.Kind)
        {
            case ChangeLog.UserKind:
                yield return ("user." + change.Operation, change.Id, null, 0);
                break;
            case ChangeLog.GroupKind:
                yield return ("group." + change.Operation, null, change.Id, 0);
                break;
            case ChangeLog.MembershipKind:
                var index = 0;
                foreach (var user in change.AddedUserIds ?? []) yield return (WebhookEventTypes.GroupUserAdded, user, change.Id, index++);
                foreach (var user in change.RemovedUserIds ?? []) yield return (WebhookEventTypes.GroupUserRemoved, user, change.Id, index++);
                break;
            case ChangeLog.RolesKind:
                yield return (WebhookEventTypes.UserRolesChanged, change.Id, null, 0);
                break;
            case ChangeLog.DirectoryKind:
                yield return ("directory." + change.Operation, null, null, 0);
                break;
        }
    }

    /// <summary>The event of <paramref name="item"/>, with state read after the caller read the change row.</summary>
    public async Task<WebhookEvent> BuildAsync(string directoryId, string changeKey, ChangeEntry change,
        (string Type, string? UserId, string? GroupId, int Index) item, CancellationToken cancellationToken)
    {
        // A row not observed yet (a caller that read it without ObserveAsync) is seen now, after it was read.
        var now = states.Mark();
        var seen = await observed.GetAsync(ObservationKey(directoryId, changeKey), _ => Task.FromResult(now), cancellationToken);
        var data = new JsonObject();
        if (item.UserId is { } userId)
        {
            data["userId"] = userId;
            data["user"] = item.Type == WebhookEventTypes.UserDeleted ? null : await UserAsync(directoryId, userId, seen, cancellationToken);
        }
        if (item.GroupId is { } groupId)
        {
            data["groupId"] = groupId;
            data["group"] = item.Type == WebhookEventTypes.GroupDeleted ? null : await GroupAsync(directoryId, groupId, seen, cancellationToken);
        }
        if (change.Kind == ChangeLog.DirectoryKind) data["connection"] = change.Operation;
        if (item.Type == WebhookEventTypes.UserRolesChanged)
        {
            data["before"] = Strings(change.RolesBefore ?? []);
            data["after"] = Strings(change.RolesAfter ?? []);
        }
        return new WebhookEvent(PartitionLayout.WebhookEventId(directoryId, changeKey, item.Index), item.Type, directoryId, change.At, changeKey, data);
    }

    /// <summary>The user as an event carries it: a copy of a read begun after the mark <paramref name="seen"/>.</summary>
    private async Task<JsonObject?> UserAsync(string directoryId, string userId, long seen, CancellationToken cancellationToken) =>
        Copy(await states.GetAsync($"{directoryId}|user|{userId}", seen, async _ => Freeze(await ReadUserAsync(directoryId, userId, CancellationToken.None)), cancellationToken));

    /// <summary>The group as an event carries it: a copy of a read begun after the mark <paramref name="seen"/>.</summary>
    private async Task<JsonObject?> GroupAsync(string directoryId, string groupId, long seen, CancellationToken cancellationToken) =>
        Copy(await states.GetAsync($"{directoryId}|group|{groupId}", seen, async _ => Freeze(await ReadGroupAsync(directoryId, groupId, CancellationToken.None)), cancellationToken));

    // Shared as an immutable element (safe to read from many threads); each event parses its own object.
    private static JsonElement? Freeze(JsonObject? state) => state is null ? null : JsonSerializer.SerializeToElement(state);

    private static JsonObject? Copy(JsonElement? shared) => shared is { } element ? JsonObject.Create(element) : null;

    private async Task<JsonObject?> ReadUserAsync(string directoryId, string userId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(directoryId, ScimResourceType.User, userId, AttributeSelection.All, cancellationToken);
        if (body is null) return null;
        var assignment = await roles.GetAssignmentAsync(directoryId, userId, cancellationToken);
        body["roles"] = Strings(assignment?.Roles ?? []);
        return body;
    }

    private async Task<JsonObject?> ReadGroupAsync(string directoryId, string groupId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(directoryId, ScimResourceType.Group, groupId, new AttributeSelection([], ["members"]), cancellationToken);
        if (body is null) return null;
        var map = await roles.ReadMapAsync(directoryId, cancellationToken);
        // The roles its mappings give (not the default role, which goes to users in no mapped group).
        body["roles"] = Strings(map.RolesOfGroup(groupId));
        return body;
    }

    private async Task<JsonObject?> ReadAsync(string directoryId, ScimResourceType type, string id, AttributeSelection selection, CancellationToken cancellationToken)
    {
        var scope = new ScimScope(directoryId, ScimBaseUrls.Build(directories.PublicBaseUrl ?? "", directoryId));
        try
        {
            return (await resources.ExecuteAsync(scope, type, id, selection, null, cancellationToken)).Body;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
