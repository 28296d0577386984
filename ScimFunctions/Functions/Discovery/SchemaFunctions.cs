using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Functions.Discovery;

/// <summary>
/// <c>GET {base}/Schemas</c>, <c>/Schemas/{id}</c>, <c>/ResourceTypes</c> and <c>/ResourceTypes/{id}</c>
/// (RFC 7644 §4), rendered from the schemas the protocol core validates against. Anonymous, like
/// <see cref="ServiceProviderConfigFunction"/>: the same for every directory and free of directory data.
/// </summary>
public sealed class SchemaFunctions(ScimBaseUrls baseUrls, HttpEdge edge)
{
    [Function("Schemas")]
    public IActionResult ListSchemas(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ScimRoutes.ScimBase + "/Schemas")] HttpRequest request,
        string directoryId) =>
        edge.Run(request, ErrorSurface.Scim, () =>
        {
            var location = Base(request, directoryId) + "/Schemas";
            return List(ScimSchemas.All.Select(schema => schema.ToJson(location)).ToList());
        });

    [Function("Schema")]
    public IActionResult GetSchema(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ScimRoutes.ScimBase + "/Schemas/{id}")] HttpRequest request,
        string directoryId, string id) =>
        edge.Run(request, ErrorSurface.Scim, () => ScimSchemas.Find(id) is { } schema
            ? new ScimResult(StatusCodes.Status200OK, schema.ToJson(Base(request, directoryId) + "/Schemas"))
            : throw ScimException.NotFound($"No schema \"{id}\"."));

    [Function("ResourceTypes")]
    public IActionResult ListResourceTypes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ScimRoutes.ScimBase + "/ResourceTypes")] HttpRequest request,
        string directoryId) =>
        edge.Run(request, ErrorSurface.Scim, () =>
        {
            var location = Base(request, directoryId) + "/ResourceTypes";
            return List(ResourceSchemas.All.Select(type => type.ToResourceTypeJson(location)).ToList());
        });

    [Function("ResourceType")]
    public IActionResult GetResourceType(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ScimRoutes.ScimBase + "/ResourceTypes/{id}")] HttpRequest request,
        string directoryId, string id) =>
        edge.Run(request, ErrorSurface.Scim, () => ResourceSchemas.FindByName(id) is { } type
            ? new ScimResult(StatusCodes.Status200OK, type.ToResourceTypeJson(Base(request, directoryId) + "/ResourceTypes"))
            : throw ScimException.NotFound($"No resource type \"{id}\"."));

    private string Base(HttpRequest request, string directoryId) => baseUrls.For(request, Uri.EscapeDataString(directoryId));

    private static ScimResult List(IReadOnlyList<JsonObject> resources) =>
        new(StatusCodes.Status200OK, new ScimListResponse(resources, resources.Count).ToJson());
}
