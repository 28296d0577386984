using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ScimFunctions.Auth;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Errors;

/// <summary>Storage that does not exist at all (a closed port): every route answers 503 with a body, never a bare 500.</summary>
public sealed class UnreachableStorageTests
{
    [Fact]
    public async Task Scim_management_and_health_answer_503_with_an_error_body()
    {
        var port = ClosedPort();
        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunQueueListeners = false;
            options.RunTimers = false;
            options.Settings["AzureWebJobsStorage"] =
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
                "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
                $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        });

        using var scimRequest = new HttpRequestMessage(HttpMethod.Get, $"/scim/{TestStorage.NewDirectoryId()}/v2/Users");
        scimRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ScimToken.Mint().Token);
        await AssertUnavailable(await host.Client.SendAsync(scimRequest), "application/scim+json");

        using var manageRequest = new HttpRequestMessage(HttpMethod.Get, "/manage/directories");
        manageRequest.Headers.Add("x-functions-key", host.FunctionKey);
        await AssertUnavailable(await host.Client.SendAsync(manageRequest), "application/json");

        using var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("application/json", health.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unhealthy", JsonNode.Parse(await health.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    private static async Task AssertUnavailable(HttpResponseMessage response, string mediaType)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {text}");
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            var body = JsonNode.Parse(text)!;
            Assert.Equal("503", body["status"]!.GetValue<string>());
            Assert.Equal(ScimFunctions.Functions.Http.ScimResult.ErrorSchema, body["schemas"]![0]!.GetValue<string>());
        }
    }

    /// <summary>A loopback port nothing listens on: bound once to learn a free number, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
