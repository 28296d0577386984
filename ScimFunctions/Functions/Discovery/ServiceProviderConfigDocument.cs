using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Discovery;

/// <summary>What this service really implements; every flag here is covered by tests.</summary>
public static class ServiceProviderConfigDocument
{
    public const string Schema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

    public static JsonObject Create(string scimBaseUrl) => new()
    {
        ["schemas"] = new JsonArray(Schema),
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = true, ["maxOperations"] = ScimLimits.MaxBulkOperations, ["maxPayloadSize"] = ScimLimits.MaxBulkPayloadBytes },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = ScimLimits.MaxPageSize },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = true },
        ["etag"] = new JsonObject { ["supported"] = true },
        // RFC 9865 §6: both paging methods; cursors hold no server state, so they do not expire.
        ["pagination"] = new JsonObject
        {
            ["cursor"] = true,
            ["index"] = true,
            ["defaultPaginationMethod"] = "index",
            ["defaultPageSize"] = ScimLimits.DefaultPageSize,
            ["maxPageSize"] = ScimLimits.MaxPageSize,
        },
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
