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
}
