using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimFunctions.Activity;
using ScimFunctions.Functions.Http;

namespace ScimFunctions.Functions.Health;

/// <summary>
/// <c>GET /health</c>: 200 when Table and Queue storage answer, else 503 naming what failed. Anonymous and
/// free of data, so load balancers and the run command can poll it. It also shows how many request log
/// entries this instance dropped (a full buffer, or storage refusing the log writes).
/// </summary>
public sealed class HealthFunction(TableServiceClient tables, QueueServiceClient queues, HttpEdge edge, ILogger<HealthFunction> logger, ActivityBuffer? activity = null)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    [Function("Health")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ScimRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, ErrorSurface.Management, () => CheckAllAsync(cancellationToken));

    private async Task<IActionResult> CheckAllAsync(CancellationToken cancellationToken)
    {
        var tableCheck = CheckAsync("tables", async token =>
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: token)) break;
        }, cancellationToken);
        var queueCheck = CheckAsync("queues", async token =>
        {
            await foreach (var _ in queues.GetQueuesAsync(cancellationToken: token)) break;
        }, cancellationToken);
        var results = await Task.WhenAll(tableCheck, queueCheck);

        var checks = new JsonObject();
        foreach (var (name, failure) in results) checks[name] = failure ?? "ok";
        var healthy = results.All(result => result.Failure is null);
        var body = new JsonObject { ["status"] = healthy ? "healthy" : "unhealthy", ["checks"] = checks };
        if (activity is not null) body["activity"] = new JsonObject { ["droppedLogEntries"] = activity.Dropped };
        return new PlainJsonResult(healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, body)
            .WithHeader("Cache-Control", "no-store");
    }

    private async Task<(string Name, string? Failure)> CheckAsync(string name, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await probe(timeout.Token);
            return (name, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Health check {Check} failed: {Reason}", name, exception.GetType().Name);
            var reason = exception is OperationCanceledException
                ? $"no answer within {CheckTimeout.TotalSeconds:0} s"
                : $"unreachable ({exception.GetType().Name})";
            return (name, reason);
        }
    }
}
