using Microsoft.AspNetCore.Http;

namespace ScimFunctions.Directories;

/// <summary>The one place a directory's SCIM base URL is made: what an admin pastes into the IdP.</summary>
public sealed class ScimBaseUrls(DirectoryOptions options)
{
    /// <summary><c>{scheme}://{host}/scim/{directoryId}/v2</c>, the scheme and host taken from the public
    /// base URL setting when there is one, else from the request.</summary>
    public string For(HttpRequest request, string directoryId) => Build(Root(request), directoryId);

    /// <summary>The app's public scheme and host: the public base URL setting when there is one, else the request's.
    /// The portal's links are made from it too.</summary>
    public string Root(HttpRequest request) => string.IsNullOrWhiteSpace(options.PublicBaseUrl)
        ? $"{request.Scheme}://{request.Host.ToUriComponent()}"
        : options.PublicBaseUrl.TrimEnd('/');

    public static string Build(string root, string directoryId) => $"{root.TrimEnd('/')}/scim/{directoryId}/v2";
}
