using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Functions.Roles;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.ChangeFeed;

/// <summary>The change feed the SaaS app polls, under <c>manage/</c> with a function-level key (give the app a key
/// of the read functions only).</summary>
public sealed class ReadChangesFunction(DirectoryService directories, ChangeFeedReader feed, HttpEdge edge)
{
    /// <summary>
    /// Changes to users, groups, memberships and role assignments after <c>cursor</c> (absent: from the oldest
    /// retained; <c>now</c>: start here). Poll with the returned cursor; <c>more</c> says another page is ready now.
    /// </summary>
    [Function("ReadChanges")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.Changes)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var count = RoleJson.Count(req, 100, ChangeFeedReader.MaxPageSize, out var error);
            if (count is null) return error!;
            if (await directories.GetAsync(directoryId, cancellationToken) is null) return ManagementJson.NotFound("directory");
            var cursor = req.Query["cursor"].ToString();
            ChangePage page;
            try
            {
                page = await feed.ReadAsync(directoryId, cursor.Length > 0 ? cursor : null, count.Value, cancellationToken);
            }
            catch (InvalidCursorException)
            {
                throw ScimException.BadRequest(ScimErrorType.InvalidCursor,
                    "The cursor is not valid here or is older than the change log's retention; read the directory again and start with cursor=now.");
            }
            var changes = new JsonArray();
            foreach (var change in page.Changes)
            {
                var entry = new JsonObject
                {
                    ["kind"] = change.Kind,
                    ["op"] = change.Operation,
                    ["id"] = change.Id,
                    ["at"] = RoleJson.Timestamp(change.At),
                };
                if (change.AddedUserIds is { Count: > 0 } added) entry["addedUserIds"] = RoleJson.Strings(added);
                if (change.RemovedUserIds is { Count: > 0 } removed) entry["removedUserIds"] = RoleJson.Strings(removed);
                changes.Add(entry);
            }
            return (IActionResult)new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["changes"] = changes, ["cursor"] = page.Cursor, ["more"] = page.More });
        });
}
