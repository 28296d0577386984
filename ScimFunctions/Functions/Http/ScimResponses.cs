using Microsoft.AspNetCore.Http;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Http;

/// <summary>The shapes of successful SCIM responses.</summary>
public static class ScimResponses
{
    /// <summary>A single resource with its <c>ETag</c> (and <c>Location</c> when created); 204 when it has no body.</summary>
    public static ScimResult Resource(RenderedResource resource, int status = StatusCodes.Status200OK)
    {
        var result = resource.Body is null
            ? new ScimResult(StatusCodes.Status204NoContent)
            : new ScimResult(status, resource.Body);
        result.WithHeader("ETag", resource.Version);
        if (status == StatusCodes.Status201Created) result.WithHeader("Location", resource.Location);
        return result;
    }

    public static ScimResult NotModified(RenderedResource resource) =>
        new ScimResult(StatusCodes.Status304NotModified).WithHeader("ETag", resource.Version);

    public static ScimResult NoContent() => new(StatusCodes.Status204NoContent);
}
