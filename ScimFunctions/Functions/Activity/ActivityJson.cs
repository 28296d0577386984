using System.Text.Json.Nodes;
using ScimFunctions.Activity;
using ScimFunctions.Functions.Management;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Activity;

/// <summary>The request log and the connection status as the management API shows them.</summary>
public static class ActivityJson
{
    public static JsonObject Entry(ActivityEntry entry)
    {
        var json = new JsonObject
        {
            ["requestId"] = entry.RequestId,
            ["at"] = ManagementJson.Timestamp(entry.At),
            ["method"] = entry.Method,
            ["route"] = entry.Route,
            ["resourceType"] = entry.ResourceType,
            ["resourceId"] = entry.ResourceId,
            ["filter"] = entry.Filter,
            ["status"] = entry.Status,
            ["scimType"] = entry.ScimType,
            ["detail"] = entry.Detail,
            ["hint"] = Hint(entry.Hint),
            ["durationMs"] = entry.DurationMs,
            ["tokenId"] = entry.TokenId,
            ["authenticated"] = entry.Authenticated,
            ["userAgent"] = entry.UserAgent,
            ["provider"] = entry.Provider,
            ["attributes"] = new JsonArray(entry.Attributes.Select(name => (JsonNode?)name).ToArray()),
            ["changedIds"] = new JsonArray(entry.ChangedIds.Select(id => (JsonNode?)id).ToArray()),
        };
        return json;
    }

    public static JsonObject Status(ConnectionStatus status, ResourceCounts counts, ActivityBuffer buffer) => new()
    {
        ["state"] = status.State,
        ["counts"] = ManagementJson.Counts(counts),
        ["lastRequest"] = status.Record.LastRequestAt is { } at
            ? new JsonObject { ["at"] = ManagementJson.Timestamp(at), ["kind"] = status.Record.LastRequestKind, ["status"] = status.Record.LastRequestStatus }
            : null,
        ["lastSuccess"] = status.Record.LastSuccessAt is { } success
            ? new JsonObject { ["at"] = ManagementJson.Timestamp(success), ["kind"] = status.Record.LastSuccessKind }
            : null,
        ["recentRequests"] = status.RecentRequests,
        ["recentErrors"] = status.RecentErrors,
        ["commonHint"] = Hint(status.CommonHint),
        ["droppedLogEntries"] = new JsonObject
        {
            ["total"] = buffer.Dropped,
            ["bufferFull"] = buffer.DroppedBufferFull,
            ["storageFailed"] = buffer.DroppedUnwritten,
        },
    };

    private static JsonObject? Hint(ActivityHint? hint) =>
        hint is null ? null : new JsonObject { ["code"] = hint.Code, ["text"] = hint.Text };
}
