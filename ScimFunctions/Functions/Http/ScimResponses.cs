using Microsoft.AspNetCore.Http;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Functions.Http;

/// <summary>The shapes of successful SCIM responses.</summary>
public static class ScimResponses
{
    /// <summary>A single resource with its <c>ETag</c> (and <c>Location</c> when created); 204 when it has no body.
    /// A group's streamed members are written after the rest of its body.</summary>
    public static ScimResult Resource(RenderedResource resource, int status = StatusCodes.Status200OK)
    {
        var result = resource.Body is null
            ? new ScimResult(StatusCodes.Status204NoContent)
            : resource.Members is null
                ? new ScimResult(status, resource.Body)
                : new ScimResult(status, resource.Body, resource.WriteAsync);
        result.WithHeader("ETag", resource.Version);
        if (status == StatusCodes.Status201Created) result.WithHeader("Location", resource.Location);
        return result;
    }

    /// <summary>A ListResponse page, written as its groups' members are read.</summary>
    public static ScimResult List(ListResponse page) => new(StatusCodes.Status200OK, null, page.WriteAsync);

    public static ScimResult NotModified(RenderedResource resource) =>
        new ScimResult(StatusCodes.Status304NotModified).WithHeader("ETag", resource.Version);

    public static ScimResult NoContent() => new(StatusCodes.Status204NoContent);
}
