using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Activity;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Management;

/// <summary>
/// Directory administration. The routes sit under <c>manage/</c> with function-level keys, so only an admin
/// credential (a Functions key) reaches them; SCIM bearer tokens mean nothing here. The list carries each
/// directory's user and group counts and connection state.
/// </summary>
public sealed class DirectoryManagementFunctions(
    DirectoryService directories, ScimBaseUrls baseUrls, DirectoryCounts counts, ActivityStore activity, ActivityOptions activityOptions, TimeProvider time, HttpEdge edge)
{
    [Function("ManageCreateDirectory")]
    public Task<IActionResult> CreateDirectory(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.Directories)] HttpRequest req,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            var displayName = ManagementJson.RequiredText(body, "displayName", ScimDirectory.MaxDisplayNameLength, out error);
            if (displayName is null) return error!;
            var providerText = ManagementJson.OptionalString(body, "provider", out error);
            if (error is not null) return error;
            if (!ScimDirectory.TryParseProvider(providerText, out var provider))
            {
                return ManagementJson.Invalid($"'provider' is required: one of {string.Join(", ", Enum.GetNames<DirectoryProvider>())}.");
            }

            var directory = await directories.CreateAsync(displayName, provider, cancellationToken);
            var json = ManagementJson.Directory(directory, baseUrls.For(req, directory.Id));
            return new PlainJsonResult(StatusCodes.Status201Created, json).WithHeader("Location", ManagementRoutes.DirectoryPath(directory.Id));
        });

    [Function("ManageListDirectories")]
    public Task<IActionResult> ListDirectories(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.Directories)] HttpRequest req,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            // Each directory's counts and connection record are point and range reads of its own: made in parallel.
            var listed = await Task.WhenAll((await directories.ListAsync(cancellationToken)).Select(async directory =>
            {
                var json = ManagementJson.Directory(directory, baseUrls.For(req, directory.Id));
                var record = activity.GetRecordAsync(directory.Id, cancellationToken);
                json["counts"] = ManagementJson.Counts(await counts.ReadAsync(directory.Id, cancellationToken));
                json["connection"] = ConnectionStatus.Of(await record, time.GetUtcNow(), activityOptions).State;
                return (JsonNode)json;
            }));
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["directories"] = new JsonArray(listed) });
        });

    [Function("ManageGetDirectory")]
    public Task<IActionResult> GetDirectory(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.Directory)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            return directory is null
                ? ManagementJson.NotFound("directory")
                : new PlainJsonResult(StatusCodes.Status200OK, ManagementJson.Directory(directory, baseUrls.For(req, directory.Id)));
        });

    /// <summary>Renames a directory (<c>{"displayName": "..."}</c>) and/or sets who may frame its portal pages
    /// (<c>{"portalFrameAncestors": ["https://app.example.com"]}</c>; <c>[]</c> allows nobody).</summary>
    [Function("ManageUpdateDirectory")]
    public Task<IActionResult> UpdateDirectory(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = ManagementRoutes.Directory)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            var renames = body.ContainsKey("displayName");
            var frames = body.ContainsKey("portalFrameAncestors");
            if (!renames && !frames) return ManagementJson.Invalid("Send 'displayName', 'portalFrameAncestors' or both.");
            string? displayName = null;
            if (renames)
            {
                displayName = ManagementJson.RequiredText(body, "displayName", ScimDirectory.MaxDisplayNameLength, out error);
                if (displayName is null) return error!;
            }
            var origins = frames ? FrameAncestors(body["portalFrameAncestors"]) : null;
            if (frames && origins is null)
            {
                return ManagementJson.Invalid($"'portalFrameAncestors' must be an array of at most {ScimDirectory.MaxPortalFrameAncestors} https origins such as \"https://app.example.com\" (no path, no wildcard).");
            }
            ScimDirectory? directory = null;
            if (displayName is not null) directory = await directories.RenameAsync(directoryId, displayName, cancellationToken);
            if (origins is not null) directory = await directories.SetPortalFrameAncestorsAsync(directoryId, origins, cancellationToken);
            return Answer(req, directory);
        });

    private static IReadOnlyList<string>? FrameAncestors(JsonNode? node)
    {
        if (node is not JsonArray array || array.Count > ScimDirectory.MaxPortalFrameAncestors) return null;
        var origins = new List<string>();
        foreach (var item in array)
        {
            var text = item is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
            if (ScimDirectory.NormaliseFrameAncestor(text) is not { } origin) return null;
            if (!origins.Contains(origin, StringComparer.Ordinal)) origins.Add(origin);
        }
        return origins;
    }

    [Function("ManageDisableDirectory")]
    public Task<IActionResult> DisableDirectory(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.DisableDirectory)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () => Answer(req, await directories.SetEnabledAsync(directoryId, enabled: false, cancellationToken)));

    [Function("ManageEnableDirectory")]
    public Task<IActionResult> EnableDirectory(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.EnableDirectory)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () => Answer(req, await directories.SetEnabledAsync(directoryId, enabled: true, cancellationToken)));

    /// <summary>Revokes the directory's tokens now and answers 202; its data is removed in the background.</summary>
    [Function("ManageDeleteDirectory")]
    public Task<IActionResult> DeleteDirectory(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ManagementRoutes.Directory)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            return await directories.DeleteAsync(directoryId, cancellationToken)
                ? new PlainJsonResult(StatusCodes.Status202Accepted, new JsonObject { ["id"] = directoryId, ["state"] = "deleting" })
                : ManagementJson.NotFound("directory");
        });

    private IActionResult Answer(HttpRequest req, ScimDirectory? directory) =>
        directory is null
            ? ManagementJson.NotFound("directory")
            : new PlainJsonResult(StatusCodes.Status200OK, ManagementJson.Directory(directory, baseUrls.For(req, directory.Id)));
}
