using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Activity;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Activity;
using ScimFunctions.Functions.Http;
using ScimFunctions.Portal;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Portal;

/// <summary>
/// The portal's directory pages: the directory with its connection status, its provider, the setup milestones,
/// the request log; and the operator's list of directories, new directories and links. Thin over the same
/// services as <c>/manage</c>.
/// </summary>
public sealed class PortalDirectoryFunctions(
    DirectoryService directories,
    ActivityStore activity,
    ActivityOptions activityOptions,
    ScimBaseUrls baseUrls,
    PortalLinkRequests links,
    ActivityRequestLog requestLog,
    DirectoryCounts counts,
    TimeProvider time,
    PortalEndpoint endpoint)
{
    [Function("PortalGetDirectory")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Directory)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, scope: null, async (session, directory) =>
            new PlainJsonResult(StatusCodes.Status200OK, await BodyAsync(req, directory, session, cancellationToken)), cancellationToken);

    /// <summary><c>{"provider": "OneLogin|EntraId|Okta|Other"}</c>.</summary>
    [Function("PortalSetProvider")]
    public Task<IActionResult> SetProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = PortalRoutes.Provider)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Setup, async (session, directory) =>
        {
            var body = await PortalRequests.ReadBodyAsync(req, cancellationToken);
            var provider = Provider(PortalRequests.OptionalString(body, "provider", 32));
            var changed = await directories.SetProviderAsync(directory.Id, provider, cancellationToken);
            return changed is null
                ? PortalEndpoint.NotFound("No such directory.")
                : new PlainJsonResult(StatusCodes.Status200OK, await BodyAsync(req, changed, session, cancellationToken));
        }, cancellationToken);

    [Function("PortalGetSetup")]
    public Task<IActionResult> Setup(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Setup)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Setup, async (session, directory) =>
        {
            var record = await activity.GetRecordAsync(directory.Id, cancellationToken);
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject
            {
                ["provider"] = directory.Provider.ToString(),
                ["scimBaseUrl"] = baseUrls.For(req, directory.Id),
                ["milestones"] = PortalDirectoryJson.Milestones(record),
            });
        }, cancellationToken);

    /// <summary>The same page of the request log as <c>GET /manage/directories/{id}/requests</c>.</summary>
    [Function("PortalListRequests")]
    public Task<IActionResult> Requests(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Requests)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.DirectoryAsync(req, directoryId, PortalScopes.Activity, async (session, directory) =>
        {
            var (page, error) = await requestLog.PageAsync(req, directory.Id, cancellationToken);
            if (page is null) throw PortalRequests.Invalid(error!);
            return new PlainJsonResult(StatusCodes.Status200OK, page);
        }, cancellationToken);

    [Function("PortalListDirectories")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortalRoutes.Directories)] HttpRequest req,
        CancellationToken cancellationToken) =>
        endpoint.OperatorAsync(req, async session =>
        {
            var all = await directories.ListAsync(cancellationToken);
            var bodies = new JsonObject[all.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, all.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (i, token) => bodies[i] = await BodyAsync(req, all[i], null, token));
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["directories"] = new JsonArray(bodies.Select(b => (JsonNode?)b).ToArray()) });
        }, cancellationToken);

    /// <summary><c>{"displayName", "provider"}</c>.</summary>
    [Function("PortalCreateDirectory")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PortalRoutes.Directories)] HttpRequest req,
        CancellationToken cancellationToken) =>
        endpoint.OperatorAsync(req, async session =>
        {
            var body = await PortalRequests.ReadBodyAsync(req, cancellationToken);
            var displayName = PortalRequests.OptionalString(body, "displayName", ScimDirectory.MaxDisplayNameLength)?.Trim();
            if (string.IsNullOrEmpty(displayName)) throw PortalRequests.Invalid($"'displayName' is required: 1 to {ScimDirectory.MaxDisplayNameLength} characters.");
            var provider = Provider(PortalRequests.OptionalString(body, "provider", 32));
            var directory = await directories.CreateAsync(displayName, provider, cancellationToken);
            return new PlainJsonResult(StatusCodes.Status201Created, await BodyAsync(req, directory, session, cancellationToken));
        }, cancellationToken);

    /// <summary>An operator mints a link for a directory's admin: <c>{"lifetimeHours"?, "scopes"?}</c>.</summary>
    [Function("PortalCreateDirectoryLink")]
    public Task<IActionResult> CreateLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PortalRoutes.PortalLinks)] HttpRequest req,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.OperatorAsync(req, async session =>
        {
            var directory = await directories.GetAsync(directoryId, cancellationToken);
            return directory is null ? PortalEndpoint.NotFound("No such directory.") : await links.MintAsync(req, directory.Id, cancellationToken);
        }, cancellationToken);

    private async Task<JsonObject> BodyAsync(HttpRequest req, ScimDirectory directory, PortalSession? session, CancellationToken cancellationToken)
    {
        var record = activity.GetRecordAsync(directory.Id, cancellationToken);
        var resources = counts.ReadAsync(directory.Id, cancellationToken);
        return PortalDirectoryJson.Directory(
            directory, baseUrls.For(req, directory.Id), ConnectionStatus.Of(await record, time.GetUtcNow(), activityOptions), await resources, session);
    }

    private static DirectoryProvider Provider(string? text) =>
        ScimDirectory.TryParseProvider(text, out var provider)
            ? provider
            : throw PortalRequests.Invalid($"'provider' is required: one of {string.Join(", ", Enum.GetNames<DirectoryProvider>())}.");
}
