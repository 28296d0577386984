using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Roles;

namespace ScimFunctions.Functions.Roles;

/// <summary>
/// A directory's roles, default role and group → role mappings, under <c>manage/</c> with function-level keys.
/// Every change that can alter someone's roles commits its fan-out row with it and is then signalled; the
/// recompute runs on the queue, so these answer before roles change.
/// </summary>
public sealed class RoleManagementFunctions(DirectoryService directories, RoleService roles, HttpEdge edge)
{
    [Function("ManageListRoles")]
    public Task<IActionResult> ListRoles(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.Roles)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            return await InDirectoryAsync(directoryId, async () =>
            {
                var configuration = await roles.Store.ReadConfigurationAsync(directoryId, cancellationToken);
                var list = new JsonArray([.. configuration.Roles.Values.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (JsonNode)RoleJson.Role(r))]);
                return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["roles"] = list, ["defaultRole"] = configuration.DefaultRole });
            }, cancellationToken);
        });

    /// <summary><c>{"displayName": "...", "description": "..."}</c>; the key is the app's name for the role.</summary>
    [Function("ManagePutRole")]
    public Task<IActionResult> PutRole(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ManagementRoutes.Role)] HttpRequest req,
        string directoryId,
        string roleKey,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            if (!RoleKey.IsValid(roleKey))
            {
                return ManagementJson.Invalid($"A role key is 1 to {RoleKey.MaxLength} letters, digits, '_', '.', ':' or '-', starting with a letter or digit.");
            }
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            var displayName = ManagementJson.RequiredText(body, "displayName", 256, out error);
            if (displayName is null) return error!;
            var description = ManagementJson.OptionalString(body, "description", out error);
            if (error is not null) return error;
            if (description is { Length: > 1024 }) return ManagementJson.Invalid("'description' is at most 1024 characters.");
            return await InDirectoryAsync(directoryId, async () =>
            {
                var role = new RoleDefinition(roleKey, displayName, description);
                var created = await roles.PutRoleAsync(directoryId, role, cancellationToken);
                var result = new PlainJsonResult(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, RoleJson.Role(role));
                return created ? result.WithHeader("Location", ManagementRoutes.RolePath(directoryId, roleKey)) : result;
            }, cancellationToken);
        });

    [Function("ManageDeleteRole")]
    public Task<IActionResult> DeleteRole(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ManagementRoutes.Role)] HttpRequest req,
        string directoryId,
        string roleKey,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            if (!RoleKey.IsValid(roleKey)) return ManagementJson.NotFound("role");
            return await InDirectoryAsync(directoryId, async () =>
            {
                return await roles.DeleteRoleAsync(directoryId, roleKey, cancellationToken)
                    ? new PlainJsonResult(StatusCodes.Status204NoContent)
                    : ManagementJson.NotFound("role");
            }, cancellationToken);
        });

    /// <summary><c>{"role": "key"}</c> sets the default role of active users in no mapped group; <c>{"role": null}</c> removes it.</summary>
    [Function("ManageSetDefaultRole")]
    public Task<IActionResult> SetDefaultRole(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ManagementRoutes.DefaultRole)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            if (!body.ContainsKey("role")) return ManagementJson.Invalid("'role' is required: a role key, or null for no default role.");
            var roleKey = ManagementJson.OptionalString(body, "role", out error);
            if (error is not null) return error;
            return await InDirectoryAsync(directoryId, async () =>
            {
                await roles.SetDefaultRoleAsync(directoryId, roleKey, cancellationToken);
                return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["defaultRole"] = roleKey });
            }, cancellationToken);
        });

    [Function("ManageListRoleMappings")]
    public Task<IActionResult> ListMappings(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.RoleMappings)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            return await InDirectoryAsync(directoryId, async () =>
            {
                var configuration = await roles.Store.ReadConfigurationAsync(directoryId, cancellationToken);
                var list = new JsonArray([.. configuration.Mappings.Select(m => (JsonNode)RoleJson.Mapping(m))]);
                return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["mappings"] = list });
            }, cancellationToken);
        });

    /// <summary>
    /// Creates or replaces the mapping of one group: <c>{"group": {"id": "..."}, "roles": ["editor"]}</c>, or
    /// <c>{"group": {"displayName": "Sales"}, "roles": [...]}</c> for a group the IdP has not pushed yet.
    /// </summary>
    [Function("ManagePutRoleMapping")]
    public Task<IActionResult> PutMapping(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.RoleMappings)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            if (body["group"] is not JsonObject group) return ManagementJson.Invalid("'group' is required: {\"id\": ...} or {\"displayName\": ...}.");
            var groupId = ManagementJson.OptionalString(group, "id", out error);
            if (error is not null) return error;
            var groupName = ManagementJson.OptionalString(group, "displayName", out error);
            if (error is not null) return error;
            if ((groupId is null) == (groupName is null)) return ManagementJson.Invalid("'group' names exactly one of 'id' and 'displayName'.");
            if (groupName is not null && (groupName.Trim().Length == 0 || groupName.Length > 256)) return ManagementJson.Invalid("'group.displayName' is 1 to 256 characters.");
            if (body["roles"] is not JsonArray roleArray || roleArray.Any(r => r is not JsonValue v || !v.TryGetValue<string>(out _)))
            {
                return ManagementJson.Invalid("'roles' is required: an array of role keys.");
            }
            var roleKeys = roleArray.Select(r => r!.GetValue<string>()).ToList();
            return await InDirectoryAsync(directoryId, async () =>
            {
                var mapping = await roles.PutMappingAsync(
                    directoryId, groupId is not null ? GroupMatch.Id : GroupMatch.DisplayName, groupId ?? groupName!, roleKeys, cancellationToken);
                return new PlainJsonResult(StatusCodes.Status200OK, RoleJson.Mapping(mapping));
            }, cancellationToken);
        });

    [Function("ManageDeleteRoleMapping")]
    public Task<IActionResult> DeleteMapping(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ManagementRoutes.RoleMapping)] HttpRequest req,
        string directoryId,
        string mappingId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            return await InDirectoryAsync(directoryId, async () =>
            {
                return await roles.DeleteMappingAsync(directoryId, mappingId, cancellationToken)
                    ? new PlainJsonResult(StatusCodes.Status204NoContent)
                    : ManagementJson.NotFound("mapping");
            }, cancellationToken);
        });

    /// <summary>Runs a route's work once the directory is known to exist (404 otherwise). A refused role
    /// configuration change is thrown on to <see cref="HttpEdge"/>, which answers it.</summary>
    private async Task<IActionResult> InDirectoryAsync(string directoryId, Func<Task<IActionResult>> work, CancellationToken cancellationToken)
    {
        if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
        return await work();
    }
}
