using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Roles;

/// <summary>
/// What the SaaS app reads: a user's roles and the holders of a role; plus the directory's recompute health
/// (the change feed is <see cref="ChangeFeed.ReadChangesFunction"/>). Function-level keys: give the app a key of these functions only (per-function keys), so
/// it can read but not manage.
/// </summary>
public sealed class RoleReadFunctions(DirectoryService directories, ScimStore scim, RoleStore roles, RoleHealth health)
{
    private const string Base = "manage/directories/{directoryId}/";

    /// <summary>The user's computed roles; <c>pending</c> says a recompute is due (a change has not reached them yet).</summary>
    [Function("ReadUserRoles")]
    public async Task<IActionResult> UserRoles(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Base + "users/{userId}/roles")] HttpRequest req,
        string directoryId,
        string userId,
        CancellationToken cancellationToken)
    {
        if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
        var assignment = await roles.GetAssignmentAsync(directoryId, userId, cancellationToken);
        if (assignment is null && await scim.Users.GetAsync(directoryId, userId, cancellationToken) is null) return ManagementJson.NotFound("user");
        var configuration = await roles.ReadConfigurationAsync(directoryId, cancellationToken);
        var list = new JsonArray();
        foreach (var key in assignment?.Roles ?? [])
        {
            list.Add(configuration.Roles.TryGetValue(key, out var role) ? RoleJson.Role(role) : new JsonObject { ["key"] = key });
        }
        return new ScimResult(StatusCodes.Status200OK, new JsonObject
        {
            ["userId"] = userId,
            ["roles"] = list,
            ["version"] = assignment?.Version ?? 0,
            ["computedAt"] = assignment is null ? null : RoleJson.Timestamp(assignment.ComputedAt),
            ["pending"] = await roles.IsPendingAsync(directoryId, userId, cancellationToken),
        });
    }

    /// <summary>Users holding a role, in id order: <c>?count=100&amp;cursor=...</c> (cursor from the previous page).</summary>
    [Function("ReadRoleHolders")]
    public async Task<IActionResult> RoleHolders(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Base + "roles/{roleKey}/users")] HttpRequest req,
        string directoryId,
        string roleKey,
        CancellationToken cancellationToken)
    {
        if (!RoleKey.IsValid(roleKey)) return ManagementJson.NotFound("role");
        var count = RoleJson.Count(req, 100, 1000, out var error);
        if (count is null) return error!;
        var cursor = req.Query["cursor"].ToString();
        var after = cursor.Length > 0 ? RoleHolderCursor.Decode(cursor, directoryId) : null;
        if (cursor.Length > 0 && after is null) return ScimResult.Error(StatusCodes.Status400BadRequest, "invalidCursor", "The cursor is not valid here.");
        if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
        var (users, next) = await roles.ListHoldersAsync(directoryId, roleKey, after, count.Value, cancellationToken);
        return new ScimResult(StatusCodes.Status200OK, new JsonObject
        {
            ["role"] = roleKey,
            ["users"] = new JsonArray([.. users.Select(id => (JsonNode)new JsonObject { ["id"] = id })]),
            ["nextCursor"] = next is null ? null : RoleHolderCursor.Encode(directoryId, next),
        });
    }

    /// <summary>Recompute health: pending outbox rows and fan-outs, messages of this directory that ended in the poison queue.</summary>
    [Function("ReadRolesHealth")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Base + "roles-health")] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken)
    {
        if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
        var report = await health.ReadAsync(directoryId, cancellationToken);
        var healthy = report.PoisonedMessages == 0;
        return new ScimResult(StatusCodes.Status200OK, new JsonObject
        {
            ["status"] = healthy ? "healthy" : "degraded",
            ["pendingUsers"] = report.PendingUsers,
            ["pendingFanOuts"] = report.PendingFanOuts,
            ["oldestPendingChange"] = report.OldestPendingChange is { } oldest ? RoleJson.Timestamp(oldest) : null,
            ["poisonedMessages"] = report.PoisonedMessages,
            ["lastPoisonedAt"] = report.LastPoisonedAt is { } at ? RoleJson.Timestamp(at) : null,
            ["lastPoisonReason"] = report.LastPoisonReason,
            ["poisonQueueDepthAllDirectories"] = report.PoisonQueueDepthAllDirectories,
        }).WithHeader("Cache-Control", "no-store");
    }
}
