using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Storage;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Functions.Webhooks;

/// <summary>Webhook endpoints: create (the signing secret is shown once, here), list, read, change, delete,
/// rotate the secret, read the delivery log, resend one event, replay from a time, and the delivery health.</summary>
public sealed class WebhookManagementFunctions(WebhookService webhooks, WebhookDeliveryLog log, WebhookResender resender, TimeProvider time, HttpEdge edge)
{
    /// <summary><c>{"url": "https://...", "events": ["user.created"], "directories": ["..."], "description": "..."}</c>; events and directories default to all.</summary>
    [Function("ManageCreateWebhook")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.Webhooks)] HttpRequest req,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            var url = ManagementJson.RequiredText(body, "url", WebhookEndpoint.MaxUrlLength, out error);
            if (url is null) return error!;
            var events = WebhookJson.OptionalStrings(body, "events", WebhookEventTypes.IsKnown, out var invalid);
            if (invalid is not null) return ManagementJson.Invalid(invalid + " Event types: " + string.Join(", ", WebhookEventTypes.All) + ".");
            var directories = WebhookJson.OptionalStrings(body, "directories", PartitionLayout.IsServerId, out invalid);
            if (invalid is not null) return ManagementJson.Invalid(invalid);
            var description = ManagementJson.OptionalString(body, "description", out error);
            if (error is not null) return error;
            if (description is { Length: > WebhookEndpoint.MaxDescriptionLength }) return ManagementJson.Invalid($"'description' must be at most {WebhookEndpoint.MaxDescriptionLength} characters.");

            var (endpoint, secret) = await webhooks.CreateAsync(url, events, directories, description, cancellationToken);
            var json = WebhookJson.Endpoint(endpoint);
            json["secret"] = secret;
            return new PlainJsonResult(StatusCodes.Status201Created, json)
                .WithHeader("Cache-Control", "no-store")
                .WithHeader("Location", ManagementRoutes.WebhookPath(endpoint.Id));
        });

    [Function("ManageListWebhooks")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.Webhooks)] HttpRequest req,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var list = new JsonArray();
            foreach (var endpoint in (await webhooks.Store.ListAsync(cancellationToken)).OrderBy(e => e.Created)) list.Add(WebhookJson.Endpoint(endpoint));
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["webhooks"] = list });
        });

    /// <summary>The endpoint with its delivery state per directory.</summary>
    [Function("ManageGetWebhook")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.Webhook)] HttpRequest req,
        string endpointId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var endpoint = await webhooks.Store.GetAsync(endpointId, cancellationToken);
            if (endpoint is null) return ManagementJson.NotFound("webhook");
            var json = WebhookJson.Endpoint(endpoint);
            json["deliveries"] = new JsonArray([.. (await webhooks.Store.StatesAsync(endpointId, cancellationToken)).Select(s => (JsonNode)WebhookJson.State(s))]);
            return new PlainJsonResult(StatusCodes.Status200OK, json);
        });

    /// <summary><c>{"url", "events", "directories", "enabled"}</c>, each optional; <c>null</c> events or directories mean all.</summary>
    [Function("ManageUpdateWebhook")]
    public Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = ManagementRoutes.Webhook)] HttpRequest req,
        string endpointId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            var url = ManagementJson.OptionalString(body, "url", out error);
            if (error is not null) return error;
            var events = WebhookJson.OptionalStrings(body, "events", WebhookEventTypes.IsKnown, out var invalid);
            if (invalid is not null) return ManagementJson.Invalid(invalid);
            var directories = WebhookJson.OptionalStrings(body, "directories", PartitionLayout.IsServerId, out invalid);
            if (invalid is not null) return ManagementJson.Invalid(invalid);
            bool? enabled = null;
            if (body.TryGetPropertyValue("enabled", out var node) && node is not null)
            {
                if (node is not JsonValue value || !value.TryGetValue<bool>(out var on)) return ManagementJson.Invalid("'enabled' must be true or false.");
                enabled = on;
            }
            var updated = await webhooks.UpdateAsync(endpointId, url, events, body.ContainsKey("events") && events is null,
                directories, body.ContainsKey("directories") && directories is null, enabled, cancellationToken);
            return updated is null ? ManagementJson.NotFound("webhook") : new PlainJsonResult(StatusCodes.Status200OK, WebhookJson.Endpoint(updated));
        });

    [Function("ManageDeleteWebhook")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ManagementRoutes.Webhook)] HttpRequest req,
        string endpointId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
            await webhooks.DeleteAsync(endpointId, cancellationToken) ? new NoContentResult() : ManagementJson.NotFound("webhook"));

    /// <summary><c>{"overlapSeconds": 86400}</c> (optional): the new secret is shown once; both sign during the overlap.</summary>
    [Function("ManageRotateWebhookSecret")]
    public Task<IActionResult> Rotate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.WebhookRotateSecret)] HttpRequest req,
        string endpointId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            TimeSpan? overlap = null;
            if (req.ContentLength is > 0)
            {
                var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
                if (body is null) return error!;
                if (body.TryGetPropertyValue("overlapSeconds", out var node) && node is not null)
                {
                    if (node is not JsonValue value || !value.TryGetValue<int>(out var seconds) || seconds is < 0 or > 7 * 86_400)
                    {
                        return ManagementJson.Invalid("'overlapSeconds' must be an integer from 0 to 604800.");
                    }
                    overlap = TimeSpan.FromSeconds(seconds);
                }
            }
            var rotated = await webhooks.RotateAsync(endpointId, overlap, cancellationToken);
            if (rotated is not { } result) return ManagementJson.NotFound("webhook");
            var json = WebhookJson.Endpoint(result.Endpoint);
            json["secret"] = result.Secret;
            return new PlainJsonResult(StatusCodes.Status200OK, json).WithHeader("Cache-Control", "no-store");
        });

    /// <summary>The delivery log, newest first: <c>?count=50&amp;cursor=...&amp;eventId=...</c>.</summary>
    [Function("ManageWebhookDeliveries")]
    public Task<IActionResult> Deliveries(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.WebhookDeliveries)] HttpRequest req,
        string endpointId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            if (await webhooks.Store.GetAsync(endpointId, cancellationToken) is null) return ManagementJson.NotFound("webhook");
            var count = 50;
            if (req.Query.TryGetValue("count", out var countText) && (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 200))
            {
                return ManagementJson.Invalid("'count' must be 1 to 200.");
            }
            string? cursor = req.Query["cursor"];
            if (cursor is not null && !cursor.All(c => char.IsAsciiDigit(c) || c is '|' || char.IsAsciiHexDigitLower(c))) return ManagementJson.Invalid("'cursor' is not valid.");
            var (attempts, next) = await log.ReadAsync(endpointId, cursor, count, req.Query["eventId"], cancellationToken);
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject
            {
                ["attempts"] = new JsonArray([.. attempts.Select(a => (JsonNode)WebhookJson.Attempt(a))]),
                ["nextCursor"] = next,
            });
        });

    /// <summary><c>{"directoryId": "...", "since": "2030-01-01T00:00:00Z"}</c>: every event of the directory since then is sent again (ids unchanged).</summary>
    [Function("ManageReplayWebhook")]
    public Task<IActionResult> Replay(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.WebhookReplay)] HttpRequest req,
        string endpointId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var (body, error) = await ManagementJson.ReadObjectAsync(req, cancellationToken);
            if (body is null) return error!;
            var directoryId = ManagementJson.OptionalString(body, "directoryId", out error);
            if (error is not null) return error;
            if (!PartitionLayout.IsServerId(directoryId)) return ManagementJson.Invalid("'directoryId' is required.");
            var sinceText = ManagementJson.OptionalString(body, "since", out error);
            if (error is not null) return error;
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) || since > time.GetUtcNow())
            {
                return ManagementJson.Invalid("'since' must be an ISO 8601 time in the past.");
            }
            return await webhooks.ReplayAsync(endpointId, directoryId!, since.ToUniversalTime(), cancellationToken)
                ? new PlainJsonResult(StatusCodes.Status202Accepted, new JsonObject { ["replayFrom"] = ManagementJson.Timestamp(since) })
                : ManagementJson.NotFound("webhook");
        });

    /// <summary>Sends one event of the delivery log again, now, with its original <c>webhook-id</c>; answers the attempt.</summary>
    [Function("ManageResendWebhookEvent")]
    public Task<IActionResult> Resend(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ManagementRoutes.WebhookResend)] HttpRequest req,
        string endpointId,
        string eventId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            if (!PartitionLayout.IsWebhookEventId(eventId)) return ManagementJson.Invalid("The event id must be a webhook-id of the delivery log (msg_ and 32 hex digits).");
            var (outcome, attempt) = await resender.ResendAsync(endpointId, eventId, cancellationToken);
            return outcome switch
            {
                WebhookResendOutcome.Sent => new PlainJsonResult(StatusCodes.Status200OK, WebhookJson.Attempt(attempt!)),
                WebhookResendOutcome.NoSuchEndpoint => ManagementJson.NotFound("webhook"),
                WebhookResendOutcome.NoSuchEvent => ManagementJson.NotFound("event in this webhook's delivery log"),
                WebhookResendOutcome.EndpointDisabled => ErrorResponses.Management(StatusCodes.Status409Conflict, null, "The webhook is disabled; enable it to resend."),
                _ => ErrorResponses.Management(StatusCodes.Status410Gone, null, "The event's change is past the change log's retention; it can no longer be sent."),
            };
        });

    /// <summary>Endpoints with a directory failing or retrying, with their state.</summary>
    [Function("ManageWebhooksHealth")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ManagementRoutes.WebhooksHealth)] HttpRequest req,
        CancellationToken cancellationToken) =>
        edge.RunAsync(req, ErrorSurface.Management, async () =>
        {
            var troubled = new JsonArray();
            foreach (var endpoint in await webhooks.Store.ListAsync(cancellationToken))
            {
                var states = (await webhooks.Store.StatesAsync(endpoint.Id, cancellationToken)).Where(s => s.Failing || s.Attempts > 0).ToList();
                if (states.Count == 0) continue;
                var json = WebhookJson.Endpoint(endpoint);
                json["deliveries"] = new JsonArray([.. states.Select(s => (JsonNode)WebhookJson.State(s))]);
                troubled.Add(json);
            }
            return new PlainJsonResult(StatusCodes.Status200OK, new JsonObject { ["failing"] = troubled });
        });
}
