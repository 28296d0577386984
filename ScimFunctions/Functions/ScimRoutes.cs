namespace ScimFunctions.Functions;

/// <summary>
/// Route templates, declared once and used on the functions' [HttpTrigger] attributes. host.json sets an empty
/// routePrefix, so these are the whole path. A directory's SCIM base URL — what an admin pastes into the
/// IdP — is <c>https://{host}/scim/{directoryId}/v2</c>. Nothing starts with "admin" (the host reserves it).
/// </summary>
public static class ScimRoutes
{
    public const string ScimBase = "scim/{directoryId}/v2";
    public const string Management = "manage";
    public const string Health = "health";
}
