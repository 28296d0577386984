using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// A JSON response written straight to the HTTP response, so it needs no MVC formatters and runs the same in
/// the Functions host and in the local host. Subclasses fix the media type. A streamed body is written by its
/// writer as it reads (a large group's members), flushed as it goes, so the response never sits whole in memory.
/// </summary>
public abstract class JsonBodyResult : IActionResult, IStatusCodeActionResult
{
    /// <summary>Bodies are never embedded in HTML, so quotes and apostrophes are written as themselves
    /// (an ETag reads <c>W/"3"</c>, not <c>W/\u00223\u0022</c>); the output is still valid, escaped JSON.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Func<Utf8JsonWriter, CancellationToken, Task>? _writeBody;

    protected JsonBodyResult(int statusCode, JsonNode? body, string mediaType)
    {
        StatusCode = statusCode;
        Body = body;
        MediaType = mediaType;
    }

    /// <param name="body">What is known of the body before it streams (an id for the request log), or null.</param>
    protected JsonBodyResult(int statusCode, JsonNode? body, Func<Utf8JsonWriter, CancellationToken, Task> writeBody, string mediaType)
        : this(statusCode, body, mediaType)
    {
        _writeBody = writeBody;
    }

    public int StatusCode { get; }
    int? IStatusCodeActionResult.StatusCode => StatusCode;

    /// <summary>The body; for a streamed response, only the part known before writing.</summary>
    public JsonNode? Body { get; }
    public string MediaType { get; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var aborted = context.HttpContext.RequestAborted;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        if (Body is null && _writeBody is null) return;
        response.ContentType = MediaType + "; charset=utf-8";
        if (_writeBody is null)
        {
            await using var plain = new Utf8JsonWriter(response.Body, WriterOptions);
            Body!.WriteTo(plain);
            await plain.FlushAsync(aborted);
            return;
        }
        var writer = new Utf8JsonWriter(response.Body, WriterOptions);
        try
        {
            await _writeBody(writer, aborted);
            await writer.FlushAsync(aborted);
        }
        catch (Exception exception)
        {
            // The status line may already be sent: a storage failure past this point can only break the
            // connection, so the client sees a failed response (and retries) rather than a complete-looking one.
            context.HttpContext.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger<JsonBodyResult>()
                .LogWarning("A streamed response was cut short ({ExceptionType}).", exception.GetType().Name);
            context.HttpContext.Abort();
        }
        finally
        {
            try
            {
                await writer.DisposeAsync();
            }
            catch (Exception)
            {
                // Writing what was left to a connection already broken: nothing more can reach the client.
            }
        }
    }
}
