namespace ScimFunctions.Functions.Management;

/// <summary>
/// Every route template of the management API (directories, tokens, roles and what the app reads), declared
/// once and used on the functions' [HttpTrigger] attributes; plus the paths written into <c>Location</c>.
/// </summary>
public static class ManagementRoutes
{
    public const string OpenApi = ScimRoutes.Management + "/openapi.json";

    public const string Directories = ScimRoutes.Management + "/directories";
    public const string Directory = Directories + "/{directoryId}";
    public const string DisableDirectory = Directory + "/disable";
    public const string EnableDirectory = Directory + "/enable";

    public const string Tokens = Directory + "/tokens";
    public const string Token = Tokens + "/{tokenId}";

    public const string Roles = Directory + "/roles";
    public const string Role = Roles + "/{roleKey}";
    public const string RoleHolders = Role + "/users";
    public const string DefaultRole = Directory + "/default-role";
    public const string RoleMappings = Directory + "/role-mappings";
    public const string RoleMapping = RoleMappings + "/{mappingId}";
    public const string UserRoles = Directory + "/users/{userId}/roles";

    // What the app reads by its own keys: users by login, all users with roles, a group with its mapped roles.
    public const string AppUsers = Directory + "/users";
    public const string AppUserLookup = AppUsers + "/lookup";
    public const string AppGroup = Directory + "/groups/{groupId}";
    public const string Changes = Directory + "/changes";
    public const string RolesHealth = Directory + "/roles-health";
    public const string Requests = Directory + "/requests";
    public const string ConnectionStatus = Directory + "/status";
    public const string PortalLinks = Directory + "/portal-links";
    public const string PortalLink = PortalLinks + "/{linkId}";
    public const string OperatorPortalLinks = ScimRoutes.Management + "/portal-links";

    // Webhooks (endpoints are app-wide; each delivers the directories it covers).
    public const string Webhooks = ScimRoutes.Management + "/webhooks";
    public const string Webhook = Webhooks + "/{endpointId}";
    public const string WebhookRotateSecret = Webhook + "/rotate-secret";
    public const string WebhookDeliveries = Webhook + "/deliveries";
    public const string WebhookReplay = Webhook + "/replay";
    public const string WebhookResend = WebhookDeliveries + "/{eventId}/resend";
    public const string WebhooksHealth = ScimRoutes.Management + "/webhook-health";

    public static string WebhookPath(string endpointId) => $"/{Webhooks}/{endpointId}";

    public static string DirectoryPath(string directoryId) => $"/{Directories}/{directoryId}";

    public static string TokenPath(string directoryId, string tokenId) => $"{DirectoryPath(directoryId)}/tokens/{tokenId}";

    public static string RolePath(string directoryId, string roleKey) => $"{DirectoryPath(directoryId)}/roles/{roleKey}";
}
