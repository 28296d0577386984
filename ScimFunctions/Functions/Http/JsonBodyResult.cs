using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// A JSON response written straight to the HTTP response, so it needs no MVC formatters and runs the same in
/// the Functions host and in the local host. Subclasses fix the media type.
/// </summary>
public abstract class JsonBodyResult : IActionResult
{
    protected JsonBodyResult(int statusCode, JsonNode? body, string mediaType)
    {
        StatusCode = statusCode;
        Body = body;
        MediaType = mediaType;
    }

    public int StatusCode { get; }
    public JsonNode? Body { get; }
    public string MediaType { get; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        if (Body is null) return;
        response.ContentType = MediaType + "; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.Body);
        Body.WriteTo(writer);
        await writer.FlushAsync(context.HttpContext.RequestAborted);
    }
}
