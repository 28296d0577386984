using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Activity;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Activity;

/// <summary>
/// A directory's SCIM request log (newest first, cursor-paged) and its connection status, for the admin asking
/// "does anything arrive?" and "why did this user not sync?". The log lags requests by up to a flush
/// interval (2 s by default); the dropped counts are this instance's. The status carries the user and group
/// counts, which are exact as of the last committed write.
/// </summary>
public sealed class ActivityFunctions(
    DirectoryService directories,
    ActivityStore store,
    ActivityRequestLog log,
    DirectoryCounts counts,
    ActivityBuffer buffer,
    ActivityOptions options,
    TimeProvider time,
    HttpEdge edge)
{
    [Function("ManageListRequests")]
    public Task<IActionResult> ListRequests(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.Requests)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            if (directory is null) return ManagementJson.NotFound("directory");
            var (body, error) = await log.PageAsync(req, directory.Id, cancellationToken);
            if (body is null) return ManagementJson.Invalid(error!);
            return new PlainJsonResult(StatusCodes.Status200OK, body).WithHeader("Cache-Control", "no-store");
        });

    [Function("ManageConnectionStatus")]
    public Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.ConnectionStatus)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            if (directory is null) return ManagementJson.NotFound("directory");
            var record = store.GetRecordAsync(directory.Id, cancellationToken);
            var resources = counts.ReadAsync(directory.Id, cancellationToken);
            var status = ConnectionStatus.Of(await record, time.GetUtcNow(), options);
            return new PlainJsonResult(StatusCodes.Status200OK, ActivityJson.Status(status, await resources, buffer)).WithHeader("Cache-Control", "no-store");
        });
}
