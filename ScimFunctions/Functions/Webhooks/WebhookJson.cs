using System.Text.Json.Nodes;
using ScimFunctions.Functions.Management;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Functions.Webhooks;

/// <summary>Bodies of the webhook management routes.</summary>
internal static class WebhookJson
{
    public static JsonObject Endpoint(WebhookEndpoint endpoint) => new()
    {
        ["id"] = endpoint.Id,
        ["url"] = endpoint.Url,
        ["events"] = endpoint.Events is null ? null : Strings(endpoint.Events),
        ["directories"] = endpoint.Directories is null ? null : Strings(endpoint.Directories),
        ["enabled"] = endpoint.Enabled,
        ["description"] = endpoint.Description,
        ["created"] = ManagementJson.Timestamp(endpoint.Created),
        ["previousSecretExpiresAt"] = endpoint.PreviousSecretExpiresAt is { } expires ? ManagementJson.Timestamp(expires) : null,
    };

    public static JsonObject State(WebhookDeliveryState state) => new()
    {
        ["directoryId"] = state.DirectoryId,
        ["state"] = state.Failing ? "failing" : state.Attempts > 0 ? "retrying" : "ok",
        ["attempts"] = state.Attempts,
        ["firstFailureAt"] = state.FirstFailureAt is { } first ? ManagementJson.Timestamp(first) : null,
        ["nextAttemptAt"] = state.NextAttemptAt is { } next ? ManagementJson.Timestamp(next) : null,
        ["lastSuccessAt"] = state.LastSuccessAt is { } success ? ManagementJson.Timestamp(success) : null,
        ["lastError"] = state.LastError,
    };

    public static JsonObject Attempt(WebhookAttempt attempt) => new()
    {
        ["at"] = ManagementJson.Timestamp(attempt.At),
        ["directoryId"] = attempt.DirectoryId,
        ["eventId"] = attempt.EventId,
        ["type"] = attempt.EventType,
        ["statusCode"] = attempt.StatusCode,
        ["durationMs"] = (int)attempt.Duration.TotalMilliseconds,
        ["error"] = attempt.Error,
    };

    /// <summary>An optional array of strings: null when absent or null; <paramref name="error"/> when not strings.</summary>
    public static IReadOnlyList<string>? OptionalStrings(JsonObject body, string name, Func<string, bool> valid, out string? error)
    {
        error = null;
        if (!body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonArray array && array.Count is > 0 and <= WebhookEndpoint.MaxDirectories
            && array.All(item => item is JsonValue value && value.TryGetValue<string>(out var text) && valid(text)))
        {
            return [.. array.Select(item => item!.GetValue<string>()).Distinct(StringComparer.Ordinal)];
        }
        error = $"'{name}' must be a non-empty array of at most {WebhookEndpoint.MaxDirectories} known values.";
        return null;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
