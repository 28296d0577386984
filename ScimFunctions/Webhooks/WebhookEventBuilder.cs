using System.Text.Json.Nodes;
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
/// </summary>
public sealed class WebhookEventBuilder(GetResourceQuery resources, RoleStore roles, DirectoryOptions directories)
{
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

    public async Task<WebhookEvent> BuildAsync(string directoryId, string changeKey, ChangeEntry change,
        (string Type, string? UserId, string? GroupId, int Index) item, CancellationToken cancellationToken)
    {
        var data = new JsonObject();
        if (item.UserId is { } userId)
        {
            data["userId"] = userId;
            data["user"] = item.Type == WebhookEventTypes.UserDeleted ? null : await UserAsync(directoryId, userId, cancellationToken);
        }
        if (item.GroupId is { } groupId)
        {
            data["groupId"] = groupId;
            data["group"] = item.Type == WebhookEventTypes.GroupDeleted ? null : await GroupAsync(directoryId, groupId, cancellationToken);
        }
        if (change.Kind == ChangeLog.DirectoryKind) data["connection"] = change.Operation;
        if (item.Type == WebhookEventTypes.UserRolesChanged)
        {
            data["before"] = Strings(change.RolesBefore ?? []);
            data["after"] = Strings(change.RolesAfter ?? []);
        }
        return new WebhookEvent(PartitionLayout.WebhookEventId(directoryId, changeKey, item.Index), item.Type, directoryId, change.At, changeKey, data);
    }

    public async Task<JsonObject?> UserAsync(string directoryId, string userId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(directoryId, ScimResourceType.User, userId, AttributeSelection.All, cancellationToken);
        if (body is null) return null;
        var assignment = await roles.GetAssignmentAsync(directoryId, userId, cancellationToken);
        body["roles"] = Strings(assignment?.Roles ?? []);
        return body;
    }

    public async Task<JsonObject?> GroupAsync(string directoryId, string groupId, CancellationToken cancellationToken)
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
