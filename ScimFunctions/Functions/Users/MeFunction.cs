using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Users;

/// <summary>
/// <c>{base}/Me</c> (RFC 7644 §3.11): this service's tokens belong to a directory, not to a user, so there is no
/// "me" to resolve. The RFC's answer for an unsupported /Me is 501, given for every verb and without a token,
/// since it reveals nothing about any directory.
/// </summary>
public sealed class MeFunction(HttpEdge edge)
{
    [Function("Me")]
    public IActionResult Me(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = ScimRoutes.ScimBase + "/Me")] HttpRequest request,
        string directoryId) =>
        edge.Run(request, ErrorSurface.Scim, () => throw ScimException.NotImplemented("The /Me endpoint is not implemented: tokens identify a directory, not a user."));
}
