using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Provisioning;
using ScimFunctions.Provisioning.Bulk;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Bulk;

/// <summary>
/// <c>POST {base}/Bulk</c> (RFC 7644 §3.7). A body over <c>maxPayloadSize</c> is 413 <c>tooLarge</c>, read no
/// further than the limit (the Functions host and the local host both accept bodies well above it, so the limit
/// advertised is the one that holds). Each operation's failure is answered in its own entry, as its route would.
/// </summary>
public sealed class BulkFunction(ScimEndpoint endpoint, BulkCommand bulk)
{
    [Function("Bulk")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ScimRoutes.ScimBase + "/Bulk")] HttpRequest request,
        string directoryId,
        CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, directoryId, async scope =>
        {
            var body = await ReadAsync(request, cancellationToken);
            var response = await bulk.ExecuteAsync(scope, BulkRequest.FromJson(body), FailureOf, cancellationToken);
            return new ScimResult(StatusCodes.Status200OK, response);
        }, cancellationToken);

    private static async Task<System.Text.Json.Nodes.JsonObject> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await ScimRequests.ReadBodyAsync(request, cancellationToken);
        }
        catch (ScimException failure) when (failure.Kind == ScimErrorKind.PayloadTooLarge)
        {
            throw new ScimException(ScimErrorKind.PayloadTooLarge, ScimErrorType.TooLarge,
                $"The bulk request is larger than maxPayloadSize ({ScimLimits.MaxBulkPayloadBytes} bytes).");
        }
    }

    private static BulkFailure FailureOf(Exception exception)
    {
        var error = ErrorMapper.Map(exception);
        return new BulkFailure(error.Status, error.ScimType, error.Detail);
    }
}
