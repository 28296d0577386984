using Microsoft.AspNetCore.Http;

namespace ScimFunctions.Functions.Portal;

/// <summary>The session cookie: HttpOnly, SameSite=Strict, scoped to <c>/portal</c>, and Secure everywhere but
/// plain-http localhost (where browsers would drop a Secure cookie).</summary>
public static class PortalCookie
{
    public const string Name = "scim_portal";

    public static string? Read(HttpRequest request) => request.Cookies.TryGetValue(Name, out var value) && value.Length > 0 ? value : null;

    public static string Set(HttpRequest request, string secret) => $"{Name}={secret}; {Attributes(request)}";

    public static string Clear(HttpRequest request) => $"{Name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; {Attributes(request)}";

    private static string Attributes(HttpRequest request)
    {
        var attributes = $"Path={PortalRoutes.CookiePath}; HttpOnly; SameSite=Strict";
        return IsPlainLocalhost(request) ? attributes : attributes + "; Secure";
    }

    private static bool IsPlainLocalhost(HttpRequest request) =>
        request.Scheme == "http" && request.Host.Host is "localhost" or "127.0.0.1" or "[::1]" or "::1";
}
