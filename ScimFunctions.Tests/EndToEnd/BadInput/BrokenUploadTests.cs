using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.EndToEnd.BadInput;

/// <summary>Bodies that arrive too slowly or with broken chunked framing, over a raw socket: 408 and 400, in SCIM form.</summary>
public sealed class BrokenUploadTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    [Fact]
    public async Task A_body_trickling_slower_than_the_minimum_rate_is_408_with_a_scim_error()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        await WriteAsync(stream, Head(scim, "POST", "/Users", "Content-Length: 400\r\n"));

        var response = ReadResponseAsync(stream);
        var trickle = Encoding.UTF8.GetBytes("{\"userName\":\"slow@example.test\",\"nickName\":\"" + new string('x', 300));
        for (var sent = 0; sent < trickle.Length && !response.IsCompleted; sent += 10)
        {
            try
            {
                await stream.WriteAsync(trickle.AsMemory(sent, Math.Min(10, trickle.Length - sent)));
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(response, Task.Delay(TimeSpan.FromSeconds(2)));
        }

        var (status, body) = await response.WaitAsync(TimeSpan.FromSeconds(30));
        AssertScimError(status, body, 408, null);
        Assert.Equal(0, await UserCountAsync(scim));
    }

    [Fact]
    public async Task An_invalid_chunk_size_is_400_invalidSyntax_with_a_scim_error()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        await WriteAsync(stream, Head(scim, "POST", "/Users", "Transfer-Encoding: chunked\r\n") + "zz\r\n{\"userName\":\"chunk@example.test\"}\r\n0\r\n\r\n");

        var (status, body) = await ReadResponseAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));
        AssertScimError(status, body, 400, "invalidSyntax");
        Assert.Equal(0, await UserCountAsync(scim));
    }

    [Fact]
    public async Task A_chunk_without_its_closing_line_break_is_400_invalidSyntax()
    {
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        const string json = "{\"userName\":\"x@example.test\"}";
        await WriteAsync(stream, Head(scim, "POST", "/Users", "Transfer-Encoding: chunked\r\n") + $"{json.Length:x}\r\n{json}XX\r\n0\r\n\r\n");

        var (status, body) = await ReadResponseAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));
        AssertScimError(status, body, 400, "invalidSyntax");
        Assert.Equal(0, await UserCountAsync(scim));
    }

    private static void AssertScimError(int status, string body, int expectedStatus, string? scimType)
    {
        Assert.True(expectedStatus == status, $"Expected {expectedStatus}, got {status}: {body}");
        var error = JsonNode.Parse(body)!;
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", error["schemas"]![0]!.GetValue<string>());
        Assert.Equal(expectedStatus.ToString(), error["status"]!.GetValue<string>());
        Assert.Equal(scimType, error["scimType"]?.GetValue<string>());
    }

    private static async Task<int> UserCountAsync(ScimClient scim) =>
        (await scim.GetAsync("/Users?count=0")).Expect(HttpStatusCode.OK).Body!["totalResults"]!.GetValue<int>();

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(fixture.Host.BaseAddress.Host, fixture.Host.BaseAddress.Port);
        return client;
    }

    private string Head(ScimClient scim, string method, string path, string framing) =>
        $"{method} {scim.BasePath}{path} HTTP/1.1\r\nHost: {fixture.Host.BaseAddress.Authority}\r\nAuthorization: Bearer {scim.Token}\r\n" +
        $"Content-Type: application/scim+json\r\nConnection: close\r\n{framing}\r\n";

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    /// <summary>Reads to the end of the connection (the request said Connection: close) and decodes a chunked body.</summary>
    private static async Task<(int Status, string Body)> ReadResponseAsync(NetworkStream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..split];
        var body = text[(split + 4)..];
        var status = int.Parse(head.Split(' ')[1]);
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) body = Unchunk(body);
        return (status, body);
    }

    private static string Unchunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[position..lineEnd], 16);
            if (size == 0) return result.ToString();
            result.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
