using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;

namespace ScimFunctions.Functions.Management;

/// <summary>
/// The OpenAPI 3 document of every <c>/manage</c> route: a static file embedded in the assembly
/// (Functions/Management/openapi.json), kept in step with the routes by a test, so apps can generate a client.
/// </summary>
public sealed class OpenApiFunction(HttpEdge edge)
{
    private const string ResourceName = "manage/openapi.json";

    private static readonly Lazy<string> Document = new(() =>
    {
        using var stream = typeof(OpenApiFunction).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The document's text, as embedded.</summary>
    public static string Text => Document.Value;

    [Function("ManageOpenApi")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.OpenApi)] HttpRequest req) =>
        // Parsed per request: a shared JsonNode is not safe to serialise from several threads at once.
        edge.RunAsync(req, ErrorSurface.Management, () =>
            Task.FromResult<IActionResult>(new PlainJsonResult(StatusCodes.Status200OK, JsonNode.Parse(Text))));
}
