using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>
/// One case's own directory and what its arrangement created (ids by name), with the SCIM and management
/// calls a route makes. Names inside the directory are the same in every case, so cases compare by shape.
/// </summary>
public sealed class RouteContext(RunningLocalHost host, string storageConnectionString, string tag)
{
    /// <summary>The storage the case's host writes to.</summary>
    public string StorageConnectionString { get; } = storageConnectionString;

    /// <summary>Unique per case: the display name of the case's directory.</summary>
    public string Tag { get; } = tag;
    public string? DirectoryId { get; set; }

    /// <summary>A client of the case's storage through StorageClients, as the host's are: a call on a pooled
    /// connection the host's cancelled calls left broken is retried (TransportFailurePolicy), not thrown into the matrix.</summary>
    public TableServiceClient CreateTableServiceClient() =>
        StorageClients.CreateTableServiceClient(TestStorage.Configuration(new Dictionary<string, string?> { [ScimFunctions.Configuration.AppSettingNames.Storage] = StorageConnectionString }));
    public string? Token { get; set; }
    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public string this[string name] => Ids[name];

    public async Task NewDirectoryAsync()
    {
        var created = await ManageAsync(HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = Tag, ["provider"] = "Okta" });
        DirectoryId = Expect(created, 201).Id;
        var minted = await ManageAsync(HttpMethod.Post, $"/manage/directories/{DirectoryId}/tokens", new JsonObject { ["label"] = "idp" });
        Token = Expect(minted, 201).Body!["token"]!.GetValue<string>();
    }

    public async Task<string> CreateUserAsync(string name, string userName)
    {
        var created = Expect(await ScimAsync(HttpMethod.Post, "/Users", new JsonObject { ["userName"] = userName, ["externalId"] = "ext-" + userName }), 201);
        return Ids[name] = created.Id;
    }

    public async Task<string> CreateGroupAsync(string name, string displayName, params string[] memberIds)
    {
        var body = new JsonObject { ["displayName"] = displayName, ["members"] = Members(memberIds) };
        return Ids[name] = Expect(await ScimAsync(HttpMethod.Post, "/Groups", body), 201).Id;
    }

    public async Task DefineRoleAsync(string key) =>
        Expect(await ManageAsync(HttpMethod.Put, $"/manage/directories/{DirectoryId}/roles/{key}", new JsonObject { ["displayName"] = key }), 201);

    public async Task<string> MapGroupAsync(string name, string groupId, params string[] roles)
    {
        var body = new JsonObject { ["group"] = new JsonObject { ["id"] = groupId }, ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]) };
        return Ids[name] = Expect(await ManageAsync(HttpMethod.Post, $"/manage/directories/{DirectoryId}/role-mappings", body), 200).Id;
    }

    public static JsonArray Members(params string[] ids) => new([.. ids.Select(id => (JsonNode)new JsonObject { ["value"] = id })]);

    public static JsonObject Patch(params JsonObject[] operations) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray([.. operations]),
    };

    public Task<RouteAnswer> ScimAsync(HttpMethod method, string path, JsonNode? body = null) =>
        SendAsync(method, $"/scim/{DirectoryId}/v2{path}", body, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token), "application/scim+json");

    public Task<RouteAnswer> ManageAsync(HttpMethod method, string path, JsonNode? body = null) =>
        SendAsync(method, path, body, request => request.Headers.Add("x-functions-key", host.FunctionKey), "application/json");

    private async Task<RouteAnswer> SendAsync(HttpMethod method, string path, JsonNode? body, Action<HttpRequestMessage> authenticate, string contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        authenticate(request);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new RouteAnswer(response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType,
            text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static RouteAnswer Expect(RouteAnswer answer, int status)
    {
        if ((int)answer.Status != status) throw new InvalidOperationException($"Arrangement expected {status}, got {answer}.");
        return answer;
    }
}
