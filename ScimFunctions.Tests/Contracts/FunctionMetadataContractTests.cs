using System.Text.Json;

namespace ScimFunctions.Tests.Contracts;

/// <summary>
/// The build's generated functions.metadata is what the Functions host reads in Azure. These tests pin it to
/// what the code intends, so a wrong route, verb, auth level or queue binding fails here, not in production.
/// </summary>
public sealed class FunctionMetadataContractTests
{
    private sealed record HttpContract(string Route, string[] Methods, string AuthLevel);
    private sealed record QueueContract(string QueueName, string Connection);

    private static readonly Dictionary<string, HttpContract> HttpFunctions = new()
    {
        ["Health"] = new("health", ["get"], "Anonymous"),
        ["ServiceProviderConfig"] = new("scim/{directoryId}/v2/ServiceProviderConfig", ["get"], "Anonymous"),
        // Whatever no other route under a SCIM base takes: a SCIM 404 or 405.
        ["ScimUnknownPath"] = new("scim/{directoryId}/v2/{*path}", ["get", "post", "put", "patch", "delete", "head", "options"], "Anonymous"),
        ["Schemas"] = new("scim/{directoryId}/v2/Schemas", ["get"], "Anonymous"),
        ["Schema"] = new("scim/{directoryId}/v2/Schemas/{id}", ["get"], "Anonymous"),
        ["ResourceTypes"] = new("scim/{directoryId}/v2/ResourceTypes", ["get"], "Anonymous"),
        ["ResourceType"] = new("scim/{directoryId}/v2/ResourceTypes/{id}", ["get"], "Anonymous"),

        // SCIM resources: Anonymous at the host; each function checks the directory's bearer token itself.
        ["ListUsers"] = new("scim/{directoryId}/v2/Users", ["get"], "Anonymous"),
        ["SearchUsers"] = new("scim/{directoryId}/v2/Users/.search", ["post"], "Anonymous"),
        ["CreateUser"] = new("scim/{directoryId}/v2/Users", ["post"], "Anonymous"),
        ["GetUser"] = new("scim/{directoryId}/v2/Users/{id}", ["get"], "Anonymous"),
        ["ReplaceUser"] = new("scim/{directoryId}/v2/Users/{id}", ["put"], "Anonymous"),
        ["PatchUser"] = new("scim/{directoryId}/v2/Users/{id}", ["patch"], "Anonymous"),
        ["DeleteUser"] = new("scim/{directoryId}/v2/Users/{id}", ["delete"], "Anonymous"),
        ["ListGroups"] = new("scim/{directoryId}/v2/Groups", ["get"], "Anonymous"),
        ["SearchGroups"] = new("scim/{directoryId}/v2/Groups/.search", ["post"], "Anonymous"),
        ["CreateGroup"] = new("scim/{directoryId}/v2/Groups", ["post"], "Anonymous"),
        ["GetGroup"] = new("scim/{directoryId}/v2/Groups/{id}", ["get"], "Anonymous"),
        ["ReplaceGroup"] = new("scim/{directoryId}/v2/Groups/{id}", ["put"], "Anonymous"),
        ["PatchGroup"] = new("scim/{directoryId}/v2/Groups/{id}", ["patch"], "Anonymous"),
        ["DeleteGroup"] = new("scim/{directoryId}/v2/Groups/{id}", ["delete"], "Anonymous"),
        ["SearchAllResources"] = new("scim/{directoryId}/v2/.search", ["post"], "Anonymous"),
        ["Bulk"] = new("scim/{directoryId}/v2/Bulk", ["post"], "Anonymous"),
        ["Me"] = new("scim/{directoryId}/v2/Me", ["get", "post", "put", "patch", "delete"], "Anonymous"),

        // Management API: the Functions key mechanism, never a SCIM token.
        ["ManageCreateDirectory"] = new("manage/directories", ["post"], "Function"),
        ["ManageListDirectories"] = new("manage/directories", ["get"], "Function"),
        ["ManageGetDirectory"] = new("manage/directories/{directoryId}", ["get"], "Function"),
        ["ManageUpdateDirectory"] = new("manage/directories/{directoryId}", ["patch"], "Function"),
        ["ManageDisableDirectory"] = new("manage/directories/{directoryId}/disable", ["post"], "Function"),
        ["ManageEnableDirectory"] = new("manage/directories/{directoryId}/enable", ["post"], "Function"),
        ["ManageDeleteDirectory"] = new("manage/directories/{directoryId}", ["delete"], "Function"),
        ["ManageCreateToken"] = new("manage/directories/{directoryId}/tokens", ["post"], "Function"),
        ["ManageListTokens"] = new("manage/directories/{directoryId}/tokens", ["get"], "Function"),
        ["ManageRevokeToken"] = new("manage/directories/{directoryId}/tokens/{tokenId}", ["delete"], "Function"),

        // Roles: managed with function keys; the app-facing reads too (give the app keys of those functions only).
        ["ManageListRoles"] = new("manage/directories/{directoryId}/roles", ["get"], "Function"),
        ["ManagePutRole"] = new("manage/directories/{directoryId}/roles/{roleKey}", ["put"], "Function"),
        ["ManageDeleteRole"] = new("manage/directories/{directoryId}/roles/{roleKey}", ["delete"], "Function"),
        ["ManageSetDefaultRole"] = new("manage/directories/{directoryId}/default-role", ["put"], "Function"),
        ["ManageListRoleMappings"] = new("manage/directories/{directoryId}/role-mappings", ["get"], "Function"),
        ["ManagePutRoleMapping"] = new("manage/directories/{directoryId}/role-mappings", ["post"], "Function"),
        ["ManageDeleteRoleMapping"] = new("manage/directories/{directoryId}/role-mappings/{mappingId}", ["delete"], "Function"),
        ["ReadUserRoles"] = new("manage/directories/{directoryId}/users/{userId}/roles", ["get"], "Function"),
        ["ReadRoleHolders"] = new("manage/directories/{directoryId}/roles/{roleKey}/users", ["get"], "Function"),
        ["ManageOpenApi"] = new("manage/openapi.json", ["get"], "Function"),
        ["AppLookupUser"] = new("manage/directories/{directoryId}/users/lookup", ["get"], "Function"),
        ["AppListUsers"] = new("manage/directories/{directoryId}/users", ["get"], "Function"),
        ["AppReadGroup"] = new("manage/directories/{directoryId}/groups/{groupId}", ["get"], "Function"),
        ["ReadChanges"] = new("manage/directories/{directoryId}/changes", ["get"], "Function"),
        ["ReadRolesHealth"] = new("manage/directories/{directoryId}/roles-health", ["get"], "Function"),

        // Activity: the request log and the connection status.
        ["ManageListRequests"] = new("manage/directories/{directoryId}/requests", ["get"], "Function"),
        ["ManageConnectionStatus"] = new("manage/directories/{directoryId}/status", ["get"], "Function"),

        // Portal links (management) and the portal: its files and its API (anonymous; the session cookie authorises).
        ["ManageCreatePortalLink"] = new("manage/directories/{directoryId}/portal-links", ["post"], "Function"),
        ["ManageListPortalLinks"] = new("manage/directories/{directoryId}/portal-links", ["get"], "Function"),
        ["ManageRevokePortalLink"] = new("manage/directories/{directoryId}/portal-links/{linkId}", ["delete"], "Function"),
        ["ManageCreateOperatorPortalLink"] = new("manage/portal-links", ["post"], "Function"),
        ["PortalFiles"] = new("portal/{*path}", ["get"], "Anonymous"),
        ["PortalRedeemLink"] = new("portal/api/session", ["post"], "Anonymous"),
        ["PortalGetSession"] = new("portal/api/session", ["get"], "Anonymous"),
        ["PortalEndSession"] = new("portal/api/session", ["delete"], "Anonymous"),
        ["PortalListDirectories"] = new("portal/api/directories", ["get"], "Anonymous"),
        ["PortalCreateDirectory"] = new("portal/api/directories", ["post"], "Anonymous"),
        ["PortalGetDirectory"] = new("portal/api/directories/{directoryId}", ["get"], "Anonymous"),
        ["PortalSetProvider"] = new("portal/api/directories/{directoryId}/provider", ["put"], "Anonymous"),
        ["PortalGetSetup"] = new("portal/api/directories/{directoryId}/setup", ["get"], "Anonymous"),
        ["PortalListTokens"] = new("portal/api/directories/{directoryId}/tokens", ["get"], "Anonymous"),
        ["PortalCreateToken"] = new("portal/api/directories/{directoryId}/tokens", ["post"], "Anonymous"),
        ["PortalRevokeToken"] = new("portal/api/directories/{directoryId}/tokens/{tokenId}", ["delete"], "Anonymous"),
        ["PortalGetRoles"] = new("portal/api/directories/{directoryId}/roles", ["get"], "Anonymous"),
        ["PortalPutRoles"] = new("portal/api/directories/{directoryId}/roles", ["put"], "Anonymous"),
        ["PortalPreviewRoles"] = new("portal/api/directories/{directoryId}/roles/preview", ["post"], "Anonymous"),
        ["PortalListUsers"] = new("portal/api/directories/{directoryId}/users", ["get"], "Anonymous"),
        ["PortalGetUser"] = new("portal/api/directories/{directoryId}/users/{userId}", ["get"], "Anonymous"),
        ["PortalListGroups"] = new("portal/api/directories/{directoryId}/groups", ["get"], "Anonymous"),
        ["PortalGetGroup"] = new("portal/api/directories/{directoryId}/groups/{groupId}", ["get"], "Anonymous"),
        ["PortalListGroupMembers"] = new("portal/api/directories/{directoryId}/groups/{groupId}/members", ["get"], "Anonymous"),
        ["PortalListRequests"] = new("portal/api/directories/{directoryId}/requests", ["get"], "Anonymous"),
        ["PortalCreateDirectoryLink"] = new("portal/api/directories/{directoryId}/portal-links", ["post"], "Anonymous"),
        // Webhooks: endpoints, secret rotation, delivery log, replay and health (a block of its own).
        ["ManageCreateWebhook"] = new("manage/webhooks", ["post"], "Function"),
        ["ManageListWebhooks"] = new("manage/webhooks", ["get"], "Function"),
        ["ManageGetWebhook"] = new("manage/webhooks/{endpointId}", ["get"], "Function"),
        ["ManageUpdateWebhook"] = new("manage/webhooks/{endpointId}", ["patch"], "Function"),
        ["ManageDeleteWebhook"] = new("manage/webhooks/{endpointId}", ["delete"], "Function"),
        ["ManageRotateWebhookSecret"] = new("manage/webhooks/{endpointId}/rotate-secret", ["post"], "Function"),
        ["ManageWebhookDeliveries"] = new("manage/webhooks/{endpointId}/deliveries", ["get"], "Function"),
        ["ManageReplayWebhook"] = new("manage/webhooks/{endpointId}/replay", ["post"], "Function"),
        ["ManageResendWebhookEvent"] = new("manage/webhooks/{endpointId}/deliveries/{eventId}/resend", ["post"], "Function"),
        ["ManageWebhooksHealth"] = new("manage/webhook-health", ["get"], "Function"),
    };

    private static readonly Dictionary<string, QueueContract> QueueFunctions = new()
    {
        ["RecomputeRoles"] = new("role-recompute", "AzureWebJobsStorage"),
        ["DeliverWebhooks"] = new("webhook-delivery", "AzureWebJobsStorage"),
    };

    private static readonly Dictionary<string, string> TimerFunctions = new()
    {
        ["PurgeDeletedDirectories"] = "0 */10 * * * *",
        ["SweepRoleOutbox"] = "0 */2 * * * *",
        ["SweepPendingDeletes"] = "0 */5 * * * *",
        ["PruneChangeLog"] = "0 */15 * * * *",
        ["PruneActivityLog"] = "0 15 3 * * *",
        ["SweepWebhooks"] = "0 * * * * *",
        ["PruneWebhookLog"] = "0 30 3 * * *",
    };

    private static List<JsonElement> LoadMetadata()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; the Worker SDK generates it at build time.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(element => element.Clone()).ToList();
    }

    private static JsonElement TriggerBinding(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(binding => binding.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void Every_generated_function_has_a_contract_and_every_contract_a_function()
    {
        var generated = LoadMetadata().Select(f => f.GetProperty("name").GetString()!).Order().ToList();
        var intended = HttpFunctions.Keys.Concat(QueueFunctions.Keys).Concat(TimerFunctions.Keys).Order().ToList();
        Assert.Equal(intended, generated);
    }

    [Fact]
    public void Http_functions_have_the_intended_route_verbs_and_auth_level()
    {
        foreach (var function in LoadMetadata())
        {
            var name = function.GetProperty("name").GetString()!;
            if (!HttpFunctions.TryGetValue(name, out var contract)) continue;
            var trigger = TriggerBinding(function);
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal(contract.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(contract.Methods.Order(), trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).Order());
            Assert.Equal(contract.AuthLevel, trigger.GetProperty("authLevel").GetString());
            Assert.False(contract.Route.StartsWith("admin", StringComparison.OrdinalIgnoreCase), $"{name}: routes starting with 'admin' are reserved by the Functions host.");
        }
    }

    [Fact]
    public void Queue_and_timer_functions_have_the_intended_bindings()
    {
        foreach (var function in LoadMetadata())
        {
            var name = function.GetProperty("name").GetString()!;
            var trigger = TriggerBinding(function);
            if (QueueFunctions.TryGetValue(name, out var queue))
            {
                Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(queue.QueueName, trigger.GetProperty("queueName").GetString());
                Assert.Equal(queue.Connection, trigger.TryGetProperty("connection", out var connection) ? connection.GetString() : "AzureWebJobsStorage");
            }
            if (TimerFunctions.TryGetValue(name, out var schedule))
            {
                Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(schedule, trigger.GetProperty("schedule").GetString());
            }
        }
    }

    [Fact]
    public void Management_routes_all_need_the_function_key()
    {
        foreach (var (name, contract) in HttpFunctions.Where(pair => pair.Value.Route.StartsWith(ScimFunctions.Functions.ScimRoutes.Management + "/", StringComparison.Ordinal)))
        {
            Assert.True(contract.AuthLevel == "Function", $"{name} must require the function key.");
        }
    }

    [Fact]
    public void Scim_routes_are_all_under_the_directory_base_url()
    {
        foreach (var (name, contract) in HttpFunctions.Where(pair => pair.Value.Route.StartsWith("scim/", StringComparison.Ordinal)))
        {
            Assert.StartsWith(ScimFunctions.Functions.ScimRoutes.ScimBase, contract.Route);
            Assert.Equal("Anonymous", contract.AuthLevel); // SCIM routes check the directory's bearer token themselves.
        }
    }
}
