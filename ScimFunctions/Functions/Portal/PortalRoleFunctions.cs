using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Portal;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Portal;

/// <summary>The role page (scope <c>roles</c>): the roles, default role and group mappings; a preview of a change
/// (<see cref="RolePreviewer"/>, the recompute's own rule); and saving it through <see cref="RoleService"/>.</summary>
public sealed class PortalRoleFunctions(RoleService roles, RolePreviewer previewer, IDirectoryResources resources, PortalEndpoint endpoint)
{
    public const int MaxMappings = 200;

    [Function("PortalGetRoles")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Roles)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Roles, async (session, directory) =>
            new PlainJsonResult(StatusCodes.Status200OK, await BodyAsync(directory.Id, cancellationToken)), cancellationToken);

    /// <summary><c>{"defaultRole": key|null, "mappings": [{"group": {"id"}|{"displayName"}, "roles": [keys]}]}</c> → gains and losses.</summary>
    [Function("PortalPreviewRoles")]
    public Task<IActionResult> Preview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PortalRoutes.RolesPreview)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Roles, async (session, directory) =>
        {
            var (defaultRole, mappings) = ReadProposal(await PortalRequests.ReadBodyAsync(req, cancellationToken));
            var preview = await previewer.PreviewAsync(directory.Id, defaultRole, mappings, cancellationToken);
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject
            {
                ["usersAffected"] = preview.UsersAffected,
                ["changes"] = new JsonArray(preview.Changes.Select(c => (JsonNode?)new JsonObject { ["role"] = c.Role, ["gain"] = c.Gain, ["lose"] = c.Lose }).ToArray()),
            });
        }, cancellationToken);

    /// <summary>The preview's body, saved: default role and exactly these mappings; recomputes are queued.</summary>
    [Function("PortalPutRoles")]
    public Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = PortalRoutes.Roles)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Roles, async (session, directory) =>
        {
            var (defaultRole, mappings) = ReadProposal(await PortalRequests.ReadBodyAsync(req, cancellationToken));
            await roles.ReplaceMappingsAsync(directory.Id, defaultRole, mappings, cancellationToken);
            return new PlainJsonResult(StatusCodes.Status200OK, await BodyAsync(directory.Id, cancellationToken));
        }, cancellationToken);

    private async Task<JsonObject> BodyAsync(string directoryId, CancellationToken cancellationToken)
    {
        var configuration = await roles.Store.ReadConfigurationAsync(directoryId, cancellationToken);
        var mappings = new JsonObject[configuration.Mappings.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, mappings.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, token) => mappings[i] = await MappingAsync(directoryId, configuration.Mappings[i], token));
        return new JsonObject
        {
            ["roles"] = new JsonArray(configuration.Roles.Values.OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => (JsonNode?)new JsonObject { ["key"] = r.Key, ["displayName"] = r.DisplayName, ["description"] = r.Description }).ToArray()),
            ["defaultRole"] = configuration.DefaultRole,
            ["mappings"] = new JsonArray(mappings.Select(m => (JsonNode?)m).ToArray()),
        };
    }

    /// <summary>A mapping with the group it names as it is now: an id mapping shows the group's current name, a
    /// name mapping the group that carries the name (if the IdP has pushed it).</summary>
    private async Task<JsonObject> MappingAsync(string directoryId, GroupRoleMapping mapping, CancellationToken cancellationToken)
    {
        string? groupId;
        string? displayName;
        if (mapping.Match == GroupMatch.Id)
        {
            var group = await resources.Groups.GetAsync(directoryId, mapping.Group, cancellationToken);
            groupId = mapping.Group;
            displayName = PortalUserFunctions.Text(group?.Document["displayName"]);
        }
        else
        {
            groupId = await roles.Store.GroupIdByNameAsync(directoryId, mapping.Group, cancellationToken);
            displayName = mapping.Group;
        }
        var synced = mapping.Match == GroupMatch.Id ? displayName is not null : groupId is not null;
        return new JsonObject
        {
            ["id"] = mapping.MappingId,
            ["group"] = new JsonObject { ["id"] = groupId, ["displayName"] = displayName },
            ["groupSynced"] = synced,
            ["roles"] = PortalLinkRequests.Strings(mapping.Roles),
        };
    }

    private static (string? DefaultRole, IReadOnlyList<GroupRoleMapping> Mappings) ReadProposal(JsonObject body)
    {
        var defaultRole = PortalRequests.OptionalString(body, "defaultRole", 64);
        if (!body.TryGetPropertyValue("mappings", out var node) || node is null) return (defaultRole, []);
        if (node is not JsonArray array || array.Count > MaxMappings) throw PortalRequests.Invalid($"'mappings' must be a list of at most {MaxMappings} mappings.");
        var mappings = new List<GroupRoleMapping>();
        foreach (var item in array)
        {
            if (item is not JsonObject mapping || mapping["group"] is not JsonObject group) throw PortalRequests.Invalid("Each mapping needs 'group': {\"id\"} or {\"displayName\"}, and 'roles'.");
            var id = PortalRequests.OptionalString(group, "id", 64);
            var name = PortalRequests.OptionalString(group, "displayName", 256)?.Trim();
            var keys = PortalRequests.OptionalStrings(mapping, "roles", RoleStore.MaxRolesPerMapping) ?? [];
            if (id is not null)
            {
                if (!PartitionLayout.IsServerId(id)) throw PortalRequests.Invalid($"'{id}' is not a group id.");
                mappings.Add(new GroupRoleMapping(GroupMatch.Id, id, keys));
            }
            else if (!string.IsNullOrEmpty(name))
            {
                mappings.Add(new GroupRoleMapping(GroupMatch.DisplayName, name, keys));
            }
            else
            {
                throw PortalRequests.Invalid("Each mapping's 'group' needs an 'id' or a 'displayName'.");
            }
        }
        return (defaultRole, mappings);
    }
}
