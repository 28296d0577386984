using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Provisioning;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// What every SCIM resource function does around its use case, in one place: authenticate the bearer token
/// for the directory in the URL, make sure the table exists, build the request's scope (directory and base
/// URL), and turn every protocol or storage error into the RFC 7644 §3.12 error body.
/// </summary>
public sealed class ScimEndpoint(ScimRequestAuthenticator authenticator, ScimStore store, ScimBaseUrls baseUrls, ILogger<ScimEndpoint> logger)
{
    public async Task<IActionResult> RunAsync(HttpRequest request, string directoryId, Func<ScimScope, Task<ScimResult>> handle, CancellationToken cancellationToken)
    {
        var authentication = await authenticator.AuthenticateAsync(request, directoryId, cancellationToken);
        if (!authentication.Succeeded) return authentication.Failure;
        try
        {
            await store.EnsureTableAsync();
            return await handle(new ScimScope(directoryId, baseUrls.For(request, directoryId)));
        }
        catch (ScimException failure)
        {
            return Failed(failure.Status, failure.ScimType, failure.Detail);
        }
        catch (ScimStoreException failure)
        {
            return Failed(failure.Status, failure.ScimType, failure.Message);
        }
        catch (RequestTimeoutException failure)
        {
            return Failed(StatusCodes.Status408RequestTimeout, null, failure.Detail);
        }
        catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Failed(failure.StatusCode, null, $"The request body is larger than the server accepts ({ScimLimits.MaxRequestBodyBytes} bytes).");
        }

        ScimResult Failed(int status, string? scimType, string detail)
        {
            // The detail may quote client values (user names), so it stays out of the log.
            logger.LogInformation("SCIM {Method} {Path} answered {Status} {ScimType}.", request.Method, request.Path.Value, status, scimType);
            return ScimResult.Error(status, scimType, detail);
        }
    }
}

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
