using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// A SCIM response written straight to the HTTP response, so it needs no MVC formatters and runs the same
/// in the Functions host and in the local host.
/// </summary>
public sealed class ScimResult : IActionResult
{
    public const string ScimMediaType = "application/scim+json";
    public const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

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

    /// <summary>An RFC 7644 §3.12 error body; <c>status</c> is a string, as the RFC's examples show.</summary>
    public static ScimResult Error(int statusCode, string? scimType, string detail)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ErrorSchema),
            ["status"] = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (scimType is not null) body["scimType"] = scimType;
        body["detail"] = detail;
        return new ScimResult(statusCode, body);
    }

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
