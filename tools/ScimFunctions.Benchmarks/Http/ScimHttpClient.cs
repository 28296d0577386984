using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>
/// The benchmark's SCIM client: one <see cref="HttpClient"/> over a fixed pool of loopback connections
/// (<see cref="SocketsHttpHandler.MaxConnectionsPerServer"/> = the highest concurrency measured), so every
/// request at concurrency c reuses one of c warm connections instead of paying connection set-up.
/// </summary>
public sealed class ScimHttpClient : IDisposable
{
    private const string ScimJson = "application/scim+json";
    private const string PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private readonly HttpClient _http;

    public ScimHttpClient(Uri hostBase, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { BaseAddress = hostBase, Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>The directory's SCIM base path (<c>/scim/{id}/v2</c>) and its bearer token.</summary>
    public string BasePath { get; private set; } = "";

    public void UseDirectory(string scimBaseUrl, string token)
    {
        BasePath = new Uri(scimBaseUrl).AbsolutePath.TrimEnd('/');
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Creates a directory through the management API and mints a token for it.</summary>
    public async Task<(string DirectoryId, string ScimBaseUrl, string Token)> CreateDirectoryAsync(string functionKey, string displayName, CancellationToken ct)
    {
        var directory = await ManageAsync(functionKey, "/manage/directories", new JsonObject { ["displayName"] = displayName, ["provider"] = "Other" }, ct);
        var id = directory["id"]!.GetValue<string>();
        var (token, baseUrl) = await CreateTokenAsync(functionKey, id, "benchmark", ct);
        return (id, baseUrl, token);
    }

    public async Task<(string Token, string ScimBaseUrl)> CreateTokenAsync(string functionKey, string directoryId, string label, CancellationToken ct)
    {
        var minted = await ManageAsync(functionKey, $"/manage/directories/{directoryId}/tokens", new JsonObject { ["label"] = label }, ct);
        return (minted["token"]!.GetValue<string>(), minted["scimBaseUrl"]!.GetValue<string>());
    }

    private async Task<JsonNode> ManageAsync(string functionKey, string path, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", functionKey);
        return (await SendAsync(request, HttpStatusCode.Created, ct))!;
    }

    /// <summary>Defines (or renames) a role of the directory.</summary>
    public Task PutRoleAsync(string functionKey, string directoryId, string roleKey, CancellationToken ct) =>
        ManageSendAsync(functionKey, HttpMethod.Put, $"/manage/directories/{directoryId}/roles/{roleKey}",
            new JsonObject { ["displayName"] = roleKey }, ct, HttpStatusCode.Created, HttpStatusCode.OK);

    /// <summary>Maps a group (by id) to roles; the recompute then runs on the queue.</summary>
    public Task MapGroupAsync(string functionKey, string directoryId, string groupId, string roleKey, CancellationToken ct) =>
        ManageSendAsync(functionKey, HttpMethod.Post, $"/manage/directories/{directoryId}/role-mappings",
            new JsonObject { ["group"] = new JsonObject { ["id"] = groupId }, ["roles"] = new JsonArray(roleKey) }, ct, HttpStatusCode.OK);

    /// <summary>Whether the user's computed roles include <paramref name="roleKey"/>.</summary>
    public async Task<bool> UserHasRoleAsync(string functionKey, string directoryId, string userId, string roleKey, CancellationToken ct)
    {
        var body = await ManageSendAsync(functionKey, HttpMethod.Get, $"/manage/directories/{directoryId}/users/{userId}/roles", null, ct, HttpStatusCode.OK);
        return body?["roles"]?.AsArray().Any(r => r?["key"]?.GetValue<string>() == roleKey) ?? false;
    }

    /// <summary>How many users hold the role, reading every page of the holders route.</summary>
    public async Task<int> CountRoleHoldersAsync(string functionKey, string directoryId, string roleKey, CancellationToken ct)
    {
        var holders = 0;
        string? cursor = null;
        do
        {
            var query = cursor is null ? "?count=1000" : $"?count=1000&cursor={Uri.EscapeDataString(cursor)}";
            var page = await ManageSendAsync(functionKey, HttpMethod.Get, $"/manage/directories/{directoryId}/roles/{roleKey}/users{query}", null, ct, HttpStatusCode.OK);
            holders += page?["users"]?.AsArray().Count ?? 0;
            cursor = page?["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return holders;
    }

    /// <summary>Users and fan-outs still waiting for a recompute in the directory.</summary>
    public async Task<long> PendingRecomputesAsync(string functionKey, string directoryId, CancellationToken ct)
    {
        var health = await ManageSendAsync(functionKey, HttpMethod.Get, $"/manage/directories/{directoryId}/roles-health", null, ct, HttpStatusCode.OK);
        return (health?["pendingUsers"]?.GetValue<long>() ?? 0) + (health?["pendingFanOuts"]?.GetValue<long>() ?? 0);
    }

    private Task<JsonNode?> ManageSendAsync(string functionKey, HttpMethod method, string path, JsonObject? body, CancellationToken ct, params HttpStatusCode[] expected)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        request.Headers.Add("x-functions-key", functionKey);
        return SendAsync(request, expected, ct);
    }

    /// <summary>A webhook endpoint for <paramref name="url"/> covering one directory, every event type; returns its id.</summary>
    public async Task<string> CreateWebhookAsync(string functionKey, string url, string directoryId, CancellationToken ct) =>
        (await ManageSendAsync(functionKey, HttpMethod.Post, "/manage/webhooks",
            new JsonObject { ["url"] = url, ["directories"] = new JsonArray(directoryId) }, ct, HttpStatusCode.Created))!["id"]!.GetValue<string>();

    public Task SetWebhookEnabledAsync(string functionKey, string endpointId, bool enabled, CancellationToken ct) =>
        ManageSendAsync(functionKey, HttpMethod.Patch, $"/manage/webhooks/{endpointId}", new JsonObject { ["enabled"] = enabled }, ct, HttpStatusCode.OK);

    /// <summary>Sends the directory's events since <paramref name="since"/> to the endpoint again (its cursor moves back).</summary>
    public Task ReplayWebhookAsync(string functionKey, string endpointId, string directoryId, DateTimeOffset since, CancellationToken ct) =>
        ManageSendAsync(functionKey, HttpMethod.Post, $"/manage/webhooks/{endpointId}/replay",
            new JsonObject { ["directoryId"] = directoryId, ["since"] = since.UtcDateTime.ToString("O") }, ct, HttpStatusCode.Accepted);

    public static JsonObject UserBody(string userName, string title = "Engineer") => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
        ["externalId"] = "ext-" + userName,
        ["name"] = new JsonObject { ["givenName"] = "Bench", ["familyName"] = userName },
        ["displayName"] = "Bench " + userName,
        ["title"] = title,
        ["active"] = true,
        ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true }),
    };

    public async Task<string> CreateUserAsync(string userName, CancellationToken ct) =>
        IdOf(await SendAsync(Json(HttpMethod.Post, "/Users", UserBody(userName)), HttpStatusCode.Created, ct));

    public Task GetUserAsync(string id, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, BasePath + "/Users/" + id), HttpStatusCode.OK, ct);

    /// <summary>The id of the user with that userName, or null (what an IdP asks before it creates).</summary>
    public async Task<string?> FindUserIdAsync(string userName, CancellationToken ct)
    {
        var filter = Uri.EscapeDataString($"userName eq \"{userName}\"");
        var list = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{BasePath}/Users?filter={filter}"), HttpStatusCode.OK, ct);
        return list!["Resources"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>();
    }

    public Task ReplaceUserAsync(string id, string userName, string title, CancellationToken ct) =>
        SendAsync(Json(HttpMethod.Put, "/Users/" + id, UserBody(userName, title)), HttpStatusCode.OK, ct);

    public Task PatchUserAsync(string id, string title, CancellationToken ct) =>
        SendAsync(Json(HttpMethod.Patch, "/Users/" + id, PatchOp(
            new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = title },
            new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = true })), HttpStatusCode.OK, ct, allowNoContent: true);

    public async Task<string> CreateGroupAsync(string displayName, CancellationToken ct) =>
        IdOf(await SendAsync(Json(HttpMethod.Post, "/Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = displayName,
        }), HttpStatusCode.Created, ct));

    public Task AddMembersAsync(string groupId, IEnumerable<string> userIds, CancellationToken ct)
    {
        var members = new JsonArray(userIds.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray());
        return SendAsync(Json(HttpMethod.Patch, "/Groups/" + groupId,
            PatchOp(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = members })), HttpStatusCode.NoContent, ct);
    }

    public Task RemoveMemberAsync(string groupId, string userId, CancellationToken ct) =>
        SendAsync(Json(HttpMethod.Patch, "/Groups/" + groupId,
            PatchOp(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{userId}\"]" })), HttpStatusCode.NoContent, ct);

    public Task GetGroupWithoutMembersAsync(string groupId, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{BasePath}/Groups/{groupId}?excludedAttributes=members"), HttpStatusCode.OK, ct);

    /// <summary>
    /// GETs <paramref name="relativePath"/> and reads the body as it arrives without keeping it, so the figure is
    /// the server's memory, not this client's: the bytes, and how many <c>"$ref"</c> (members) and
    /// <c>"displayName"</c> (groups) it held.
    /// </summary>
    public async Task<StreamedRead> ReadDiscardingAsync(string relativePath, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, BasePath + relativePath);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode != HttpStatusCode.OK) throw new ScimCallFailedException($"GET {relativePath} answered {(int)response.StatusCode}");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var refs = new ByteCounter("\"$ref\""u8.ToArray());
        var names = new ByteCounter("\"displayName\""u8.ToArray());
        var buffer = new byte[16 * 1024];
        long bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            bytes += read;
            refs.Feed(buffer.AsSpan(0, read));
            names.Feed(buffer.AsSpan(0, read));
        }
        return new StreamedRead(bytes, refs.Count, names.Count);
    }

    public async Task<int> ListUsersByIndexAsync(int startIndex, int count, CancellationToken ct)
    {
        var page = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{BasePath}/Users?startIndex={startIndex}&count={count}"), HttpStatusCode.OK, ct);
        return page!["Resources"]?.AsArray().Count ?? 0;
    }

    /// <summary>One cursor page (an empty cursor asks for the first); returns the next cursor, or null at the end.</summary>
    public async Task<(int Returned, string? NextCursor)> ListUsersByCursorAsync(string cursor, int count, CancellationToken ct)
    {
        var page = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{BasePath}/Users?cursor={Uri.EscapeDataString(cursor)}&count={count}"), HttpStatusCode.OK, ct);
        return (page!["Resources"]?.AsArray().Count ?? 0, page["nextCursor"]?.GetValue<string>());
    }

    private HttpRequestMessage Json(HttpMethod method, string relative, JsonObject body) =>
        new(method, BasePath + relative) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, ScimJson) };

    private static JsonObject PatchOp(params JsonObject[] operations) => new()
    {
        ["schemas"] = new JsonArray(PatchOpSchema),
        ["Operations"] = new JsonArray(operations.Cast<JsonNode>().ToArray()),
    };

    private static string IdOf(JsonNode? resource) => resource?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("The response has no id.");

    private Task<JsonNode?> SendAsync(HttpRequestMessage request, HttpStatusCode expected, CancellationToken ct, bool allowNoContent = false) =>
        SendAsync(request, allowNoContent ? [expected, HttpStatusCode.NoContent] : [expected], ct);

    private async Task<JsonNode?> SendAsync(HttpRequestMessage request, HttpStatusCode[] expected, CancellationToken ct)
    {
        using (request)
        using (var response = await _http.SendAsync(request, ct))
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (expected.Contains(response.StatusCode))
            {
                return text.Length == 0 ? null : JsonNode.Parse(text);
            }
            throw new ScimCallFailedException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {Truncate(text)}");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    public void Dispose() => _http.Dispose();
}

public sealed record StreamedRead(long Bytes, long Members, long DisplayNames);

/// <summary>Counts occurrences of a byte pattern across chunk boundaries.</summary>
internal sealed class ByteCounter(byte[] pattern)
{
    private int _matched;

    public long Count { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        foreach (var b in chunk)
        {
            _matched = b == pattern[_matched] ? _matched + 1 : b == pattern[0] ? 1 : 0;
            if (_matched == pattern.Length)
            {
                Count++;
                _matched = 0;
            }
        }
    }
}

public sealed class ScimCallFailedException(string message) : Exception(message);
