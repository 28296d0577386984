using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// A JSON response written straight to the HTTP response, so it needs no MVC formatters and runs the same in
/// the Functions host and in the local host. Subclasses fix the media type.
/// </summary>
public abstract class JsonBodyResult : IActionResult, IStatusCodeActionResult
{
    /// <summary>Bodies are never embedded in HTML, so quotes and apostrophes are written as themselves
    /// (an ETag reads <c>W/"3"</c>, not <c>W/\u00223\u0022</c>); the output is still valid, escaped JSON.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected JsonBodyResult(int statusCode, JsonNode? body, string mediaType)
    {
        StatusCode = statusCode;
        Body = body;
        MediaType = mediaType;
    }

    public int StatusCode { get; }
    int? IStatusCodeActionResult.StatusCode => StatusCode;
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
        await using var writer = new Utf8JsonWriter(response.Body, WriterOptions);
        Body.WriteTo(writer);
        await writer.FlushAsync(context.HttpContext.RequestAborted);
    }
}
