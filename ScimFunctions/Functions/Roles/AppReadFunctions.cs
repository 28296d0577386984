using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Provisioning;
using ScimFunctions.Roles;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Roles;

/// <summary>
/// What the SaaS app reads by the keys it knows (a login, not a SCIM id): a user with its roles and groups by
/// <c>userName</c>, <c>externalId</c> or email; every user with its roles, cursor-paged; a group with the roles
/// its mappings give. Function-level keys, like <see cref="RoleReadFunctions"/>.
/// </summary>
public sealed class AppReadFunctions(DirectoryService directories, ScimStore scim, RoleStore roles, HttpEdge edge)
{
    /// <summary>Longer look-up values are refused: no stored userName, externalId or email is that long.</summary>
    private const int MaxLookupValueLength = 1024;

    private static readonly string[] LookupKeys = ["userName", "externalId", "email"];

    /// <summary>
    /// <c>?userName=</c> (2 point reads), <c>?externalId=</c> (1 index range read + 1 point read per match) or
    /// <c>?email=</c> (case-insensitive; 1 index range read + 1 point read per match, plus at most 2 reads of users
    /// stored before the email index, until none is left: <see cref="ResourceStore.FindByEmailAsync"/>). Then the
    /// assignment and the groups (2 reads, at once). 409 when the externalId or email belongs to more than one
    /// user; 400 <c>tooMany</c> when users stored before the email index are too many to check.
    /// </summary>
    [Function("AppLookupUser")]
    public Task<IActionResult> LookupUser(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.AppUserLookup)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var given = LookupKeys.Where(key => req.Query.ContainsKey(key)).ToList();
            if (given.Count != 1) return ManagementJson.Invalid("Give exactly one of 'userName', 'externalId' or 'email'.");
            var key = given[0];
            var value = req.Query[key].ToString();
            if (req.Query[key].Count != 1 || value.Length is 0 or > MaxLookupValueLength)
            {
                return ManagementJson.Invalid($"'{key}' must be given once, 1 to {MaxLookupValueLength} characters.");
            }
            if (await directories.GetAsync(directoryId, cancellationToken) is not { } directory) return ManagementJson.NotFound("directory");

            var (user, ambiguous, complete) = await FindUserAsync(directory, key, value, cancellationToken);
            if (!complete)
            {
                return ErrorResponses.Management(StatusCodes.Status400BadRequest, ScimErrorType.TooMany,
                    "This directory has more users stored before the email index than one look-up checks; look the user up by userName or externalId (each user gets its email index row on its next write).");
            }
            if (ambiguous)
            {
                return ErrorResponses.Management(StatusCodes.Status409Conflict, ScimErrorType.Uniqueness, $"More than one user has this {key}; look the user up by userName.");
            }
            if (user is null) return ManagementJson.NotFound("user");
            var assignment = roles.GetAssignmentAsync(directoryId, user.Id, cancellationToken);
            var groups = scim.Memberships.ListGroupsOfUserAsync(directoryId, user.Id, cancellationToken);
            await Task.WhenAll(assignment, groups);
            return new PlainJsonResult(StatusCodes.Status200OK, AppReadJson.UserWithGroups(user, assignment.Result, groups.Result));
        });

    /// <summary>Every user with its roles, in id order: <c>?count=100&amp;cursor=...</c> (at most 200 a page; the
    /// cursor from the previous page). 1 range read of the page's documents and 1 of their assignments.</summary>
    [Function("AppListUsers")]
    public Task<IActionResult> ListUsers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.AppUsers)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var count = RoleJson.Count(req, ScimLimits.DefaultPageSize, ScimLimits.MaxPageSize, out var error);
            if (count is null) return error!;
            if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
            var page = await scim.Users.ListAsync(directoryId, new ResourceQuery { Cursor = req.Query["cursor"].ToString(), Count = count.Value }, cancellationToken);
            var assignments = page.Resources.Count == 0
                ? new Dictionary<string, RoleAssignment>()
                : await roles.ListAssignmentsAsync(directoryId, page.Resources[0].Id, page.Resources[^1].Id, cancellationToken);
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject
            {
                ["users"] = new JsonArray([.. page.Resources.Select(u => (JsonNode)AppReadJson.User(u, assignments.GetValueOrDefault(u.Id)))]),
                ["nextCursor"] = page.NextCursor,
            });
        });

    /// <summary>A group and the roles its mappings give its members (1 point read, with the role map: 1 range read
    /// plus 1 point read per mapping by display name, at once).</summary>
    [Function("AppReadGroup")]
    public Task<IActionResult> ReadGroup(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.AppGroup)] HttpRequest req,
        string directoryId,
        string groupId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
            var group = scim.Groups.GetAsync(directoryId, groupId, cancellationToken);
            var map = roles.ReadMapAsync(directoryId, cancellationToken);
            await Task.WhenAll(group, map);
            return group.Result is { } found
                ? new PlainJsonResult(StatusCodes.Status200OK, AppReadJson.Group(found, map.Result.RolesOfGroup(found.Id)))
                : ManagementJson.NotFound("group");
        });

    /// <summary>The one user with this value, or none; ambiguous when more than one has it; not complete when
    /// users the email index does not cover may also hold it.</summary>
    private async Task<(StoredResource? User, bool Ambiguous, bool Complete)> FindUserAsync(ScimDirectory directory, string key, string value, CancellationToken cancellationToken)
    {
        var directoryId = directory.Id;
        switch (key)
        {
            case "userName":
                return (await scim.Users.FindByUniqueNameAsync(directoryId, value, cancellationToken), false, true);
            case "externalId":
                var matches = await scim.Users.FindByExternalIdAsync(directoryId, value, cancellationToken);
                return (matches.Count == 1 ? matches[0] : null, matches.Count > 1, true);
            default:
                var (users, complete) = await scim.Users.FindByEmailAsync(directoryId, value, directory.EmailIndexedFromStart, cancellationToken);
                return (users.Count == 1 ? users[0] : null, users.Count > 1, complete);
        }
    }
}
