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
            var (query, error) = ReadQuery(req, directory.Id);
            if (query is null) return error!;
            var page = await store.QueryAsync(directory.Id, query, cancellationToken);
            var body = new JsonObject
            {
                ["requests"] = new JsonArray(page.Entries.Select(entry => (JsonNode?)ActivityJson.Entry(entry)).ToArray()),
                ["nextCursor"] = page.Next?.Encode(directory.Id),
            };
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

    private static (ActivityQuery? Query, PlainJsonResult? Error) ReadQuery(HttpRequest request, string directoryId)
    {
        var parameters = request.Query;
        var query = new ActivityQuery();
        if (Text(parameters["count"]) is { } countText)
        {
            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ActivityQuery.MaxCount)
            {
                return (null, ManagementJson.Invalid($"'count' must be an integer from 1 to {ActivityQuery.MaxCount}."));
            }
            query = query with { Count = count };
        }
        if (Text(parameters["status"]) is { } statusText)
        {
            if (statusText is not ("2xx" or "3xx" or "4xx" or "5xx")) return (null, ManagementJson.Invalid("'status' must be 2xx, 3xx, 4xx or 5xx."));
            query = query with { StatusClass = statusText[0] - '0' };
        }
        if (Text(parameters["method"]) is { } method)
        {
            if (method.ToUpperInvariant() is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE")) return (null, ManagementJson.Invalid("'method' must be GET, POST, PUT, PATCH or DELETE."));
            query = query with { Method = method.ToUpperInvariant() };
        }
        if (Text(parameters["resource"]) is { } resource)
        {
            if (resource.Length > 64 || !resource.All(char.IsAsciiLetterOrDigit)) return (null, ManagementJson.Invalid("'resource' must be a resource type (Users, Groups, …) or a resource id."));
            query = query with { Resource = resource };
        }
        foreach (var name in new[] { "since", "until" })
        {
            if (Text(parameters[name]) is not { } text) continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return (null, ManagementJson.Invalid($"'{name}' must be an ISO 8601 date and time."));
            }
            query = name == "since" ? query with { Since = at.ToUniversalTime() } : query with { Until = at.ToUniversalTime() };
        }
        if (parameters.ContainsKey("cursor") && Text(parameters["cursor"]) is { } cursorText)
        {
            if (!ActivityCursor.TryDecode(directoryId, cursorText, out var cursor)) return (null, ManagementJson.Invalid("'cursor' is not a cursor of this directory's requests."));
            query = query with { After = cursor };
        }
        return (query, null);
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues values) =>
        values.ToString() is { Length: > 0 } text ? text.Trim() : null;
}
