using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Roles;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Roles;

/// <summary>
/// What the SaaS app reads: a user's roles and the holders of a role (the change feed is
/// <see cref="ChangeFeed.ReadChangesFunction"/>); plus the directory's recompute health. Function-level keys: give the app a key of these functions only (per-function keys), so
/// it can read but not manage.
/// </summary>
public sealed class RoleReadFunctions(DirectoryService directories, ScimStore scim, RoleStore roles, RoleHealth health, HttpEdge edge)
{
    /// <summary>The user's computed roles; <c>pending</c> says a recompute is due (a change has not reached them yet).</summary>
    [Function("ReadUserRoles")]
    public Task<IActionResult> UserRoles(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.UserRoles)] HttpRequest req,
        string directoryId,
        string userId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
            var (assignment, pending) = await roles.ReadUserRolesAsync(directoryId, userId, cancellationToken);
            if (assignment is null && await scim.Users.GetAsync(directoryId, userId, cancellationToken) is null) return ManagementJson.NotFound("user");
            var configuration = await roles.ReadConfigurationAsync(directoryId, cancellationToken);
            var list = new JsonArray();
            foreach (var key in assignment?.Roles ?? [])
            {
                list.Add(configuration.Roles.TryGetValue(key, out var role) ? RoleJson.Role(role) : new JsonObject { ["key"] = key });
            }
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject
            {
                ["userId"] = userId,
                ["roles"] = list,
                ["version"] = assignment?.Version ?? 0,
                ["computedAt"] = assignment is null ? null : RoleJson.Timestamp(assignment.ComputedAt),
                ["pending"] = pending,
            });
        });

    /// <summary>Users holding a role, in id order: <c>?count=100&amp;cursor=...</c> (cursor from the previous page).</summary>
    [Function("ReadRoleHolders")]
    public Task<IActionResult> RoleHolders(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.RoleHolders)] HttpRequest req,
        string directoryId,
        string roleKey,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            if (!RoleKey.IsValid(roleKey)) return ManagementJson.NotFound("role");
            var count = RoleJson.Count(req, 100, 1000, out var error);
            if (count is null) return error!;
            var cursor = req.Query["cursor"].ToString();
            var after = cursor.Length > 0 ? RoleHolderCursor.Decode(cursor, directoryId) : null;
            if (cursor.Length > 0 && after is null) throw new InvalidCursorException();
            if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
            var (users, next) = await roles.ListHoldersAsync(directoryId, roleKey, after, count.Value, cancellationToken);
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject
            {
                ["role"] = roleKey,
                ["users"] = new JsonArray([.. users.Select(id => (JsonNode)new JsonObject { ["id"] = id })]),
                ["nextCursor"] = next is null ? null : RoleHolderCursor.Encode(directoryId, next),
            });
        });

    /// <summary>Recompute health: pending outbox rows and fan-outs, messages of this directory that ended in the poison queue.</summary>
    [Function("ReadRolesHealth")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.RolesHealth)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
            var report = await health.ReadAsync(directoryId, cancellationToken);
            var healthy = report.PoisonedMessages == 0;
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject
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
        });
}
