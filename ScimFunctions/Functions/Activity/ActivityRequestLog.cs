using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ScimFunctions.Activity;

namespace ScimFunctions.Functions.Activity;

/// <summary>A page of a directory's request log from the query string (<c>count</c>, <c>status</c>, <c>method</c>,
/// <c>resource</c>, <c>since</c>, <c>until</c>, <c>cursor</c>): one reading for the management API and the portal.</summary>
public sealed class ActivityRequestLog(ActivityStore store)
{
    /// <summary>The page's JSON, or what is wrong with the query.</summary>
    public async Task<(JsonObject? Page, string? Error)> PageAsync(HttpRequest request, string directoryId, CancellationToken cancellationToken)
    {
        var (query, error) = ReadQuery(request, directoryId);
        if (query is null) return (null, error);
        var page = await store.QueryAsync(directoryId, query, cancellationToken);
        return (new JsonObject
        {
            ["requests"] = new JsonArray(page.Entries.Select(entry => (JsonNode?)ActivityJson.Entry(entry)).ToArray()),
            ["nextCursor"] = page.Next?.Encode(directoryId),
        }, null);
    }

    private static (ActivityQuery? Query, string? Error) ReadQuery(HttpRequest request, string directoryId)
    {
        var parameters = request.Query;
        var query = new ActivityQuery();
        if (Text(parameters["count"]) is { } countText)
        {
            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ActivityQuery.MaxCount)
            {
                return (null, $"'count' must be an integer from 1 to {ActivityQuery.MaxCount}.");
            }
            query = query with { Count = count };
        }
        if (Text(parameters["status"]) is { } statusText)
        {
            if (statusText is not ("2xx" or "3xx" or "4xx" or "5xx")) return (null, "'status' must be 2xx, 3xx, 4xx or 5xx.");
            query = query with { StatusClass = statusText[0] - '0' };
        }
        if (Text(parameters["method"]) is { } method)
        {
            if (method.ToUpperInvariant() is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE")) return (null, "'method' must be GET, POST, PUT, PATCH or DELETE.");
            query = query with { Method = method.ToUpperInvariant() };
        }
        if (Text(parameters["resource"]) is { } resource)
        {
            if (resource.Length > 64 || !resource.All(char.IsAsciiLetterOrDigit)) return (null, "'resource' must be a resource type (Users, Groups, …) or a resource id.");
            query = query with { Resource = resource };
        }
        foreach (var name in new[] { "since", "until" })
        {
            if (Text(parameters[name]) is not { } text) continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return (null, $"'{name}' must be an ISO 8601 date and time.");
            }
            query = name == "since" ? query with { Since = at.ToUniversalTime() } : query with { Until = at.ToUniversalTime() };
        }
        if (parameters.ContainsKey("cursor") && Text(parameters["cursor"]) is { } cursorText)
        {
            if (!ActivityCursor.TryDecode(directoryId, cursorText, out var cursor)) return (null, "'cursor' is not a cursor of this directory's requests.");
            query = query with { After = cursor };
        }
        return (query, null);
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues values) =>
        values.ToString() is { Length: > 0 } text ? text.Trim() : null;
}
