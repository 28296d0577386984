namespace ScimFunctions.Functions.Portal;

/// <summary>Every route template of the portal: its static files and its JSON API (anonymous at the host; the
/// API authorises with the session cookie).</summary>
public static class PortalRoutes
{
    public const string Root = "portal";
    public const string Files = Root + "/{*path}";
    public const string Api = Root + "/api";
    public const string Session = Api + "/session";

    public const string Directories = Api + "/directories";
    public const string Directory = Directories + "/{directoryId}";
    public const string Provider = Directory + "/provider";
    public const string Setup = Directory + "/setup";
    public const string Tokens = Directory + "/tokens";
    public const string Token = Tokens + "/{tokenId}";
    public const string Roles = Directory + "/roles";
    public const string RolesPreview = Roles + "/preview";
    public const string Users = Directory + "/users";
    public const string User = Users + "/{userId}";
    public const string Groups = Directory + "/groups";
    public const string Group = Groups + "/{groupId}";
    public const string GroupMembers = Group + "/members";
    public const string Requests = Directory + "/requests";
    public const string PortalLinks = Directory + "/portal-links";

    /// <summary>The path the session cookie is scoped to.</summary>
    public const string CookiePath = "/" + Root;
}
