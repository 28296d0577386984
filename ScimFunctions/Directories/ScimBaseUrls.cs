using Microsoft.AspNetCore.Http;

namespace ScimFunctions.Directories;

/// <summary>The one place a directory's SCIM base URL is made: what an admin pastes into the IdP.</summary>
public sealed class ScimBaseUrls(DirectoryOptions options)
{
    /// <summary><c>{scheme}://{host}/scim/{directoryId}/v2</c>, the scheme and host taken from the public
    /// base URL setting; only in Development, without one, from the request (whose Host header the client writes).</summary>
    /// <exception cref="InvalidOperationException">no public base URL outside Development (start-up validation prevents it)</exception>
    public string For(HttpRequest request, string directoryId) => Build(Root(request), directoryId);

    /// <summary>The app's public scheme and host, by the same rule; the portal's links are made from it too.</summary>
    public string Root(HttpRequest request) =>
        !string.IsNullOrWhiteSpace(options.PublicBaseUrl) ? options.PublicBaseUrl.TrimEnd('/')
        : options.AllowRequestHost ? $"{request.Scheme}://{request.Host.ToUriComponent()}"
        : throw new InvalidOperationException("No public base URL is configured.");

    public static string Build(string root, string directoryId) => $"{root.TrimEnd('/')}/scim/{directoryId}/v2";
}
