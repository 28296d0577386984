using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Portal;
using ScimFunctions.Provisioning;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Roles;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Portal;

/// <summary>
/// The users and groups pages (scope <c>users</c>), read through the SCIM readers (<see cref="IDirectoryResources"/>,
/// the SCIM filter for search) with each user's roles from the recompute's rule (<see cref="ResolvedRoleMap"/>)
/// and where they come from. Per page: 1 list read, 1 configuration read, and 1 membership read per row.
/// </summary>
public sealed class PortalUserFunctions(IDirectoryResources resources, RoleStore roles, PortalEndpoint endpoint)
{
    private const int DefaultCount = 25;
    private const int MaxCount = 100;
    private const int ParallelReads = 8;

    [Function("PortalListUsers")]
    public Task<IActionResult> ListUsers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Users)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Users, async (session, directory) =>
        {
            var page = await PageAsync(req, ScimResourceType.User, ["userName", "displayName", "emails.value"], directory.Id, cancellationToken);
            var map = await roles.ReadMapAsync(directory.Id, cancellationToken);
            var users = new JsonObject[page.Resources.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, users.Length), Reads(cancellationToken),
                async (i, token) => users[i] = await UserAsync(directory.Id, page.Resources[i], map, token));
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["users"] = Array(users), ["nextCursor"] = page.NextCursor });
        }, cancellationToken);

    [Function("PortalGetUser")]
    public Task<IActionResult> GetUser(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.User)] HttpRequest req,
        string directoryId,
        string userId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Users, async (session, directory) =>
        {
            var user = await resources.Users.GetAsync(directory.Id, userId, cancellationToken);
            if (user is null) return PortalEndpoint.NotFound("No such user.");
            var json = await UserAsync(directory.Id, user, await roles.ReadMapAsync(directory.Id, cancellationToken), cancellationToken);
            json["attributes"] = user.Document.DeepClone();
            return new PlainJsonResult(StatusCodes.Status200OK, json);
        }, cancellationToken);

    [Function("PortalListGroups")]
    public Task<IActionResult> ListGroups(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Groups)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Users, async (session, directory) =>
        {
            var page = await PageAsync(req, ScimResourceType.Group, ["displayName"], directory.Id, cancellationToken);
            var map = await roles.ReadMapAsync(directory.Id, cancellationToken);
            var groups = new JsonObject[page.Resources.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, groups.Length), Reads(cancellationToken),
                async (i, token) => groups[i] = await GroupAsync(directory.Id, page.Resources[i], map, token));
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["groups"] = Array(groups), ["nextCursor"] = page.NextCursor });
        }, cancellationToken);

    [Function("PortalGetGroup")]
    public Task<IActionResult> GetGroup(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Group)] HttpRequest req,
        string directoryId,
        string groupId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Users, async (session, directory) =>
        {
            var group = await resources.Groups.GetAsync(directory.Id, groupId, cancellationToken);
            return group is null
                ? PortalEndpoint.NotFound("No such group.")
                : new PlainJsonResult(StatusCodes.Status200OK, await GroupAsync(directory.Id, group, await roles.ReadMapAsync(directory.Id, cancellationToken), cancellationToken));
        }, cancellationToken);

    /// <summary>Members in id order; <c>nextCursor</c> is the last id of the page.</summary>
    [Function("PortalListGroupMembers")]
    public Task<IActionResult> ListMembers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.GroupMembers)] HttpRequest req,
        string directoryId,
        string groupId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Users, async (session, directory) =>
        {
            var count = PortalRequests.Count(req, DefaultCount, MaxCount);
            var after = PortalRequests.Query(req, "cursor", 64);
            if (after is not null && !PartitionLayout.IsServerId(after)) throw PortalRequests.Invalid("'cursor' is not a cursor of this list.");
            if (await resources.Groups.GetAsync(directory.Id, groupId, cancellationToken) is null) return PortalEndpoint.NotFound("No such group.");
            var members = new List<MembershipReference>(count + 1);
            await foreach (var member in resources.Memberships.StreamMembersAsync(directory.Id, groupId, cancellationToken))
            {
                if (after is not null && string.CompareOrdinal(member.Id, after) <= 0) continue;
                members.Add(member);
                if (members.Count > count) break;
            }
            var page = members.Take(count).ToList();
            var users = new JsonObject[page.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, users.Length), Reads(cancellationToken), async (i, token) =>
            {
                var user = await resources.Users.GetAsync(directory.Id, page[i].Id, token);
                users[i] = new JsonObject
                {
                    ["id"] = page[i].Id,
                    ["userName"] = Text(user?.Document["userName"]),
                    ["displayName"] = Text(user?.Document["displayName"]) ?? page[i].Display,
                };
            });
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject
            {
                ["members"] = Array(users),
                ["nextCursor"] = members.Count > count ? page[^1].Id : null,
            });
        }, cancellationToken);

    /// <summary>A cursor page of users or groups; <c>search</c> is a case-insensitive prefix of any of <paramref name="searchable"/>,
    /// evaluated by the SCIM filter.</summary>
    private async Task<ResourcePage> PageAsync(HttpRequest req, ScimResourceType type, string[] searchable, string directoryId, CancellationToken cancellationToken)
    {
        var count = PortalRequests.Count(req, DefaultCount, MaxCount);
        var search = PortalRequests.Query(req, "search", 200);
        var cursor = PortalRequests.Query(req, "cursor", 400) ?? "";
        var query = new ResourceQuery { Count = count, Cursor = cursor };
        if (search is not null)
        {
            var literal = "\"" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            var filter = ScimFilter.Parse(string.Join(" or ", searchable.Select(attribute => $"{attribute} sw {literal}")), type.Schema);
            query = query with { Predicate = filter.Matches };
        }
        try
        {
            return await type.StoreIn(resources).ListAsync(directoryId, query, cancellationToken);
        }
        catch (InvalidCursorException)
        {
            throw PortalRequests.Invalid("'cursor' is not a cursor of this list; start again from the first page.");
        }
    }

    private async Task<JsonObject> UserAsync(string directoryId, StoredResource user, ResolvedRoleMap map, CancellationToken cancellationToken)
    {
        var groups = await resources.Memberships.ListGroupsOfUserAsync(directoryId, user.Id, cancellationToken);
        var groupIds = groups.Select(g => g.Id).ToList();
        var active = UserActivity.IsActive(user.Document);
        var held = map.RolesFor(active, groupIds);
        var rolesJson = held.Select(role =>
        {
            var via = groups.Where(g => map.RolesOfGroup(g.Id).Contains(role, StringComparer.Ordinal))
                .Select(g => (JsonNode?)new JsonObject { ["group"] = new JsonObject { ["id"] = g.Id, ["displayName"] = g.Display } })
                .ToList();
            if (via.Count == 0 && role == map.DefaultRole) via.Add(new JsonObject { ["default"] = true });
            return (JsonNode?)new JsonObject { ["role"] = role, ["via"] = new JsonArray(via.ToArray()) };
        }).ToArray();
        return new JsonObject
        {
            ["id"] = user.Id,
            ["userName"] = Text(user.Document["userName"]),
            ["displayName"] = Text(user.Document["displayName"]),
            ["email"] = PrimaryEmail(user.Document),
            ["active"] = active,
            ["lastModified"] = PortalDirectoryJson.Timestamp(user.LastModified),
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode?)new JsonObject { ["id"] = g.Id, ["displayName"] = g.Display }).ToArray()),
            ["roles"] = new JsonArray(rolesJson),
        };
    }

    private async Task<JsonObject> GroupAsync(string directoryId, StoredResource group, ResolvedRoleMap map, CancellationToken cancellationToken) => new()
    {
        ["id"] = group.Id,
        ["displayName"] = Text(group.Document["displayName"]),
        ["memberCount"] = (await resources.Memberships.MemberIdsAsync(directoryId, group.Id, cancellationToken)).Count,
        ["roles"] = PortalLinkRequests.Strings(map.RolesOfGroup(group.Id)),
    };

    /// <summary>The primary email, else the first one.</summary>
    private static string? PrimaryEmail(JsonObject user)
    {
        if (user["emails"] is not JsonArray emails) return null;
        var all = emails.OfType<JsonObject>().ToList();
        var primary = all.FirstOrDefault(e => e["primary"] is JsonValue p && p.TryGetValue<bool>(out var yes) && yes) ?? all.FirstOrDefault();
        return Text(primary?["value"]);
    }

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonArray Array(IEnumerable<JsonObject> items) => new(items.Select(item => (JsonNode?)item).ToArray());

    private static ParallelOptions Reads(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken };
}
