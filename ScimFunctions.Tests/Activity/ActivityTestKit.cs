using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Activity;
using ScimFunctions.Storage;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Activity;

/// <summary>What the activity tests do with a running local host: flush the log, read it through the management
/// API, and read the raw stored rows.</summary>
public static class ActivityTestKit
{
    public static Task FlushAsync(this RunningLocalHost host) =>
        host.Services.GetRequiredService<ActivityWriter>().FlushAsync(CancellationToken.None);

    public static async Task<JsonNode> ManageGetAsync(this RunningLocalHost host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", host.FunctionKey);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<HttpResponseMessage> ManageSendAsync(this RunningLocalHost host, HttpMethod method, string path, JsonObject? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", host.FunctionKey);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await host.Client.SendAsync(request);
    }

    /// <summary>Every request of a directory's log, newest first, following the cursor.</summary>
    public static async Task<List<JsonObject>> AllRequestsAsync(this RunningLocalHost host, string directoryId, string query = "")
    {
        var all = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var path = $"/manage/directories/{directoryId}/requests?count=200{query}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await host.ManageGetAsync(path);
            all.AddRange(page["requests"]!.AsArray().Select(entry => entry!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>The raw stored rows of a directory in the activity table (its days and its status row).</summary>
    public static async Task<List<TableEntity>> StoredRowsAsync(this RunningLocalHost host, string directoryId)
    {
        var table = host.Services.GetRequiredService<TableServiceClient>().GetTableClient(host.Services.GetRequiredService<ActivityOptions>().TableName);
        var prefix = PartitionLayout.ActivityDaysPrefix(directoryId);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {PartitionLayout.PrefixEnd(prefix)}")))
        {
            rows.Add(row);
        }
        return rows;
    }

    public static async Task<ScimResponse> SendWithTokenAsync(this RunningLocalHost host, string directoryId, string token, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, $"/scim/{directoryId}/v2{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ScimResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }
}
