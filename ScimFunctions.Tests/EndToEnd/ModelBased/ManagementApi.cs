using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>The management and role-read routes of one directory, with the host's function key.</summary>
public sealed class ManagementApi(RunningLocalHost host, string directoryId)
{
    public string DirectoryId => directoryId;
    private string BasePath => $"/manage/directories/{directoryId}";

    public static async Task<(ManagementApi Api, ScimClient Scim)> NewDirectoryAsync(RunningLocalHost host, string provider)
    {
        var (status, directory) = await SendAsync(host, HttpMethod.Post, "/manage/directories", new { displayName = "Model " + provider, provider });
        Assert.Equal(HttpStatusCode.Created, status);
        var id = directory!["id"]!.GetValue<string>();
        var (minted, token) = await SendAsync(host, HttpMethod.Post, $"/manage/directories/{id}/tokens", new { label = "model" });
        Assert.Equal(HttpStatusCode.Created, minted);
        return (new ManagementApi(host, id), new ScimClient(host.Client, id, token!["token"]!.GetValue<string>()));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string relativePath, object? body = null) =>
        SendAsync(host, method, BasePath + relativePath, body);

    public async Task<JsonNode> GetAsync(string relativePath)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, relativePath);
        Assert.True(status == HttpStatusCode.OK, $"GET {relativePath}: {(int)status} {body?.ToJsonString()}");
        return body!;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(RunningLocalHost host, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", host.FunctionKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
