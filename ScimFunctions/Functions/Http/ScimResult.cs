using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// A SCIM response written straight to the HTTP response, so it needs no MVC formatters and runs the same
/// in the Functions host and in the local host.
/// </summary>
public sealed class ScimResult : IActionResult
{
    public const string ScimMediaType = ScimConstants.ScimMediaType;
    public const string ErrorSchema = ScimConstants.ErrorSchema;

    public ScimResult(int statusCode, JsonNode? body = null)
    {
        StatusCode = statusCode;
        Body = body;
    }

    public int StatusCode { get; }
    public JsonNode? Body { get; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ScimResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    /// <summary>An RFC 7644 §3.12 error response; the body is the protocol core's <see cref="ScimError"/>.</summary>
    public static ScimResult Error(int statusCode, string? scimType, string detail) =>
        new(statusCode, new ScimError(statusCode, scimType, detail).ToJson());

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        if (Body is null) return;
        response.ContentType = ScimMediaType + "; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.Body);
        Body.WriteTo(writer);
        await writer.FlushAsync(context.HttpContext.RequestAborted);
    }
}
