namespace ScimFunctions.Provisioning;

/// <summary>
/// Where a request is served: the directory whose partition it may touch, and that directory's SCIM base URL
/// (<c>{scheme}://{host}/scim/{directoryId}/v2</c>) from which <c>meta.location</c> and <c>$ref</c> are made.
/// </summary>
public sealed record ScimScope(string DirectoryId, string BaseUrl)
{
    public string LocationOf(ScimResourceType type, string id) => $"{BaseUrl.TrimEnd('/')}{type.Schema.Endpoint}/{id}";
}
