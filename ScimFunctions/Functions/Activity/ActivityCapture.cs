using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Logging;
using ScimFunctions.Activity;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Activity;

/// <summary>
/// The edge's side of the request log: <see cref="HttpEdge"/> begins a trace for every request under a
/// directory's SCIM base and completes it into an <see cref="ActivityEntry"/> for the buffer; the SCIM endpoint
/// and the body reader add what they learn. All in memory: no storage call, and nothing here can fail a request.
/// </summary>
public sealed class ActivityCapture(ActivityBuffer buffer, TimeProvider time, ILogger<ActivityCapture> logger)
{
    private const int MaxUserAgentLength = 256;
    private static readonly object TraceKey = new();
    private static readonly HashSet<string> WriteMethods = new(StringComparer.OrdinalIgnoreCase) { "POST", "PUT", "PATCH", "DELETE" };

    /// <summary>Starts a trace when the request is under a SCIM base with a well-formed directory id.</summary>
    public void Begin(HttpRequest request)
    {
        try
        {
            var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length < 4 || segments[0] != "scim" || segments[2] != "v2" || !ScimDirectory.IsValidId(segments[1])) return;
            var resourceType = segments[3] is "Users" or "Groups" or "Bulk" or ".search" or "ServiceProviderConfig" or "Schemas" or "ResourceTypes" ? segments[3] : "other";
            var child = segments.Length > 4 ? segments[4] : null;
            var route = child switch
            {
                null => resourceType,
                ".search" => resourceType + "/.search",
                _ => resourceType + "/{id}",
            };
            var filter = request.Query["filter"].ToString();
            request.HttpContext.Items[TraceKey] = new ActivityTrace
            {
                DirectoryId = segments[1],
                RequestId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                At = time.GetUtcNow(),
                StartedTimestamp = time.GetTimestamp(),
                Method = request.Method.ToUpperInvariant(),
                Route = route,
                ResourceType = resourceType,
                ResourceId = PartitionLayout.IsServerId(child) ? child : null,
                QueryFilter = filter.Length > 0 ? filter : null,
                UserAgent = request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, MaxUserAgentLength)] : null,
            };
        }
        catch (Exception exception)
        {
            logger.LogWarning("Activity trace not started ({ExceptionType}).", exception.GetType().Name);
        }
    }

    /// <summary>The authentication outcome: the token id that authenticated the request, or why it was refused
    /// (with the token id a rejected token carried, never the token).</summary>
    public static void Authenticated(HttpRequest request, ScimAuthOutcome outcome)
    {
        if (Trace(request) is not { } trace) return;
        trace.Authenticated = outcome.Succeeded;
        trace.AuthFailure = outcome.Failure;
        trace.TokenId = outcome.Succeeded ? outcome.TokenId : PresentedTokenId(request);
    }

    /// <summary>The parsed body, read later for its attribute names and member ids only.</summary>
    public static void Body(HttpRequest request, JsonObject body)
    {
        if (Trace(request) is { } trace) trace.Body = body;
    }

    /// <summary>The failure the edge answered; only its type and facts are used, never its message as is.</summary>
    public static void Failed(HttpRequest request, Exception exception)
    {
        if (Trace(request) is { } trace) trace.Exception = exception;
    }

    /// <summary>Turns the trace into a log entry and hands it to the buffer; never throws.</summary>
    public void Complete(HttpRequest request, IActionResult result)
    {
        try
        {
            if (Trace(request) is not { } trace) return;
            request.HttpContext.Items.Remove(TraceKey);
            buffer.Add(Entry(trace, result));
        }
        catch (Exception exception)
        {
            logger.LogWarning("Activity entry not recorded ({ExceptionType}).", exception.GetType().Name);
        }
    }

    private ActivityEntry Entry(ActivityTrace trace, IActionResult result)
    {
        var body = result as JsonBodyResult;
        var status = body?.StatusCode ?? (result as IStatusCodeActionResult)?.StatusCode ?? StatusCodes.Status200OK;
        var error = status >= 400 ? body?.Body as JsonObject : null;
        var scimType = error?["scimType"]?.GetValue<string>();
        var hint = trace.AuthFailure is { } failure ? ActivityHints.For(failure, trace.TokenId) : ActivityHints.For(trace.Exception, status, scimType);
        var bodyFilter = trace.Body?["filter"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        return new ActivityEntry
        {
            DirectoryId = trace.DirectoryId,
            RequestId = trace.RequestId,
            At = trace.At,
            Method = trace.Method,
            Route = trace.Route,
            ResourceType = trace.ResourceType,
            ResourceId = trace.ResourceId,
            Filter = ClientValueMask.Filter(trace.QueryFilter ?? bodyFilter),
            Status = status,
            ScimType = scimType,
            Detail = error is null ? null : ClientValueMask.Detail(trace.Exception, error["detail"]?.GetValue<string>()),
            Hint = hint,
            DurationMs = time.GetElapsedTime(trace.StartedTimestamp).TotalMilliseconds,
            TokenId = trace.TokenId,
            Authenticated = trace.Authenticated,
            UserAgent = trace.UserAgent,
            Attributes = BodyShape.AttributeNames(trace.Body),
            ChangedIds = status < 300 && WriteMethods.Contains(trace.Method) && trace.Route != trace.ResourceType + "/.search"
                ? ChangedIds(trace, body) : [],
        };
    }

    private static IReadOnlyList<string> ChangedIds(ActivityTrace trace, JsonBodyResult? result)
    {
        var ids = new List<string>();
        if (trace.ResourceId is { } id) ids.Add(id);
        else if (result?.Body?["id"] is JsonValue created && created.TryGetValue<string>(out var createdId) && PartitionLayout.IsServerId(createdId)) ids.Add(createdId);
        ids.AddRange(BodyShape.MemberIds(trace.Body));
        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string? PresentedTokenId(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        return ScimToken.TryParseTokenId(value["Bearer ".Length..].Trim(), out var tokenId) ? tokenId : null;
    }

    private static ActivityTrace? Trace(HttpRequest request) =>
        request.HttpContext.Items.TryGetValue(TraceKey, out var value) ? value as ActivityTrace : null;
}
