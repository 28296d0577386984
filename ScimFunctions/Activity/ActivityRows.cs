using System.Text.Json;
using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Activity;

/// <summary>How log entries and the status row are stored: one property per field, lists comma-joined.</summary>
public static class ActivityRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TableEntity ToEntity(ActivityEntry entry)
    {
        var entity = new TableEntity(PartitionLayout.ActivityDay(entry.DirectoryId, entry.At), PartitionLayout.ActivityEntry(entry.At, entry.RequestId))
        {
            ["RequestId"] = entry.RequestId,
            ["At"] = entry.At,
            ["Method"] = entry.Method,
            ["Route"] = entry.Route,
            ["ResourceType"] = entry.ResourceType,
            ["Status"] = entry.Status,
            ["DurationMs"] = Math.Round(entry.DurationMs, 1),
            ["Authenticated"] = entry.Authenticated,
        };
        Set(entity, "ResourceId", entry.ResourceId);
        Set(entity, "Filter", entry.Filter);
        Set(entity, "ScimType", entry.ScimType);
        Set(entity, "Detail", entry.Detail);
        Set(entity, "HintCode", entry.Hint?.Code);
        Set(entity, "Hint", entry.Hint?.Text);
        Set(entity, "TokenId", entry.TokenId);
        Set(entity, "UserAgent", entry.UserAgent);
        Set(entity, "Provider", entry.Provider);
        if (entry.Attributes.Count > 0) entity["Attributes"] = string.Join(",", entry.Attributes);
        if (entry.ChangedIds.Count > 0) entity["ChangedIds"] = string.Join(",", entry.ChangedIds);
        return entity;
    }

    public static ActivityEntry FromEntity(string directoryId, TableEntity entity) => new()
    {
        DirectoryId = directoryId,
        RequestId = entity.GetString("RequestId") ?? PartitionLayout.LastSegment(entity.RowKey),
        At = entity.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        Method = entity.GetString("Method") ?? "",
        Route = entity.GetString("Route") ?? "",
        ResourceType = entity.GetString("ResourceType") ?? "",
        ResourceId = entity.GetString("ResourceId"),
        Filter = entity.GetString("Filter"),
        Status = entity.GetInt32("Status") ?? 0,
        ScimType = entity.GetString("ScimType"),
        Detail = entity.GetString("Detail"),
        Hint = entity.GetString("HintCode") is { } code ? new ActivityHint(code, entity.GetString("Hint") ?? "") : null,
        DurationMs = entity.GetDouble("DurationMs") ?? 0,
        TokenId = entity.GetString("TokenId"),
        Authenticated = entity.GetBoolean("Authenticated") ?? false,
        UserAgent = entity.GetString("UserAgent"),
        Provider = entity.GetString("Provider"),
        Attributes = List(entity.GetString("Attributes")),
        ChangedIds = List(entity.GetString("ChangedIds")),
    };

    public static TableEntity ToEntity(string directoryId, ConnectionRecord record)
    {
        var entity = new TableEntity(PartitionLayout.ActivityStatusPartition(directoryId), PartitionLayout.ActivityStatusRow)
        {
            ["Recent"] = JsonSerializer.Serialize(record.Recent, Json),
        };
        if (record.LastRequestAt is { } lastRequest) entity["LastRequestAt"] = lastRequest;
        Set(entity, "LastRequestKind", record.LastRequestKind);
        if (record.LastRequestStatus is { } status) entity["LastRequestStatus"] = status;
        if (record.LastSuccessAt is { } lastSuccess) entity["LastSuccessAt"] = lastSuccess;
        Set(entity, "LastSuccessKind", record.LastSuccessKind);
        if (record.ProbeAt is { } probe) entity["ProbeAt"] = probe;
        if (record.FirstUserAt is { } firstUser) entity["FirstUserAt"] = firstUser;
        if (record.FirstMembershipAt is { } firstMembership) entity["FirstMembershipAt"] = firstMembership;
        Set(entity, "AnnouncedState", record.AnnouncedState);
        Set(entity, "PendingKey", record.PendingKey);
        Set(entity, "PendingState", record.PendingState);
        return entity;
    }

    public static ConnectionRecord FromStatusEntity(TableEntity entity) => new()
    {
        LastRequestAt = entity.GetDateTimeOffset("LastRequestAt"),
        LastRequestKind = entity.GetString("LastRequestKind"),
        LastRequestStatus = entity.GetInt32("LastRequestStatus"),
        LastSuccessAt = entity.GetDateTimeOffset("LastSuccessAt"),
        LastSuccessKind = entity.GetString("LastSuccessKind"),
        ProbeAt = entity.GetDateTimeOffset("ProbeAt"),
        FirstUserAt = entity.GetDateTimeOffset("FirstUserAt"),
        FirstMembershipAt = entity.GetDateTimeOffset("FirstMembershipAt"),
        AnnouncedState = entity.GetString("AnnouncedState"),
        PendingKey = entity.GetString("PendingKey"),
        PendingState = entity.GetString("PendingState"),
        ETag = entity.ETag.ToString(),
        Recent = entity.GetString("Recent") is { Length: > 0 } recent
            ? JsonSerializer.Deserialize<List<RecentRequest>>(recent, Json) ?? []
            : [],
    };

    private static void Set(TableEntity entity, string name, string? value)
    {
        if (value is not null) entity[name] = value;
    }

    private static IReadOnlyList<string> List(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Split(',');
}
