using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using ScimFunctions.Functions.Http;

// Not ScimFunctions.Tests.Functions.Http: that namespace would hide the tests' Http helper (Auth/AuthTestSupport.cs).
namespace ScimFunctions.Tests.Functions;

public sealed class JsonBodyResultTests
{
    [Fact]
    public async Task Quotes_and_apostrophes_are_written_as_themselves_and_the_body_stays_valid_json()
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        var result = new PlainJsonResult(200, new JsonObject { ["version"] = "W/\"3\"", ["displayName"] = "O'Brien & <Sons>", ["line"] = "a\nb" });

        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Contains("\"W/\\\"3\\\"\"", text);
        Assert.Contains("O'Brien & <Sons>", text);
        Assert.DoesNotContain("\\u0022", text);
        Assert.DoesNotContain("\\u0027", text);
        Assert.Contains("a\\nb", text);
        Assert.Equal("W/\"3\"", JsonNode.Parse(text)!["version"]!.GetValue<string>());
        Assert.Equal(200, context.Response.StatusCode);
    }

    private sealed class RecordingLifetime : Microsoft.AspNetCore.Http.Features.IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }
        public bool Aborted { get; private set; }
        public void Abort() => Aborted = true;
    }

    private static (DefaultHttpContext Context, MemoryStream Body, RecordingLifetime Lifetime) Context()
    {
        var context = new DefaultHttpContext();
        var lifetime = new RecordingLifetime();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpRequestLifetimeFeature>(lifetime);
        var body = new MemoryStream();
        context.Response.Body = body;
        return (context, body, lifetime);
    }

    [Fact]
    public async Task A_streamed_body_is_written_as_its_writer_goes_and_parses_whole()
    {
        var (context, body, lifetime) = Context();
        var flushedBeforeTheEnd = 0L;
        var result = new ScimResult(200, null, async (writer, token) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            for (var i = 0; i < 5000; i++)
            {
                writer.WriteNumberValue(i);
                if (i % 1000 == 999) await writer.FlushAsync(token);
            }
            flushedBeforeTheEnd = body.Length;
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.True(flushedBeforeTheEnd > 0);
        Assert.Equal(5000, JsonNode.Parse(body.ToArray())!["items"]!.AsArray().Count);
        Assert.Equal("application/scim+json; charset=utf-8", context.Response.ContentType);
        Assert.False(lifetime.Aborted);
    }

    [Fact]
    public async Task A_streamed_body_that_fails_midway_breaks_the_connection_instead_of_throwing_into_the_host()
    {
        var (context, body, lifetime) = Context();
        var result = new ScimResult(200, null, async (writer, token) =>
        {
            writer.WriteStartObject();
            writer.WriteString("started", "yes");
            await writer.FlushAsync(token);
            throw new TimeoutException("storage went away");
        });

        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.True(lifetime.Aborted);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(body.ToArray()));
    }
}
