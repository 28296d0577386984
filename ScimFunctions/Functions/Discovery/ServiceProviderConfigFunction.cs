using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;

namespace ScimFunctions.Functions.Discovery;

/// <summary>
/// <c>GET {base}/ServiceProviderConfig</c> (RFC 7643 §5). Discovery needs no token (RFC 7644 §4 leaves it to the
/// provider) and holds no directory data, so IdPs can read it while an admin is still setting up.
/// </summary>
public sealed class ServiceProviderConfigFunction
{
    [Function("ServiceProviderConfig")]
    public IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ScimRoutes.ScimBase + "/ServiceProviderConfig")] HttpRequest request,
        string directoryId)
    {
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/scim/{Uri.EscapeDataString(directoryId)}/v2";
        return new ScimResult(StatusCodes.Status200OK, ServiceProviderConfigDocument.Create(baseUrl));
    }
}

/// <summary>What this service really implements; every flag here is covered by tests.</summary>
public static class ServiceProviderConfigDocument
{
    public const string Schema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

    public static JsonObject Create(string scimBaseUrl) => new()
    {
        ["schemas"] = new JsonArray(Schema),
        ["patch"] = new JsonObject { ["supported"] = false },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = false, ["maxResults"] = 0 },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "OAuth Bearer Token",
            ["description"] = "A per-directory bearer token, shown once when it is created.",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject
        {
            ["resourceType"] = "ServiceProviderConfig",
            ["location"] = scimBaseUrl + "/ServiceProviderConfig",
        },
    };
}
