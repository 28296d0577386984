using System.Text.Json.Nodes;
using ScimFunctions.Activity;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Management;
using ScimFunctions.Portal;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Portal;

/// <summary>A directory as the portal shows it: identity, SCIM base URL, connection status, counts, and what the session may do.</summary>
public static class PortalDirectoryJson
{
    public static JsonObject Directory(ScimDirectory directory, string scimBaseUrl, ConnectionStatus status, ResourceCounts counts, PortalSession? session)
    {
        var json = new JsonObject
        {
            ["id"] = directory.Id,
            ["displayName"] = directory.DisplayName,
            ["provider"] = directory.Provider.ToString(),
            ["state"] = directory.State.ToString(),
            ["scimBaseUrl"] = scimBaseUrl,
            ["status"] = new JsonObject
            {
                ["state"] = status.State,
                ["lastRequestAt"] = Timestamp(status.Record.LastRequestAt),
                ["lastSuccessAt"] = Timestamp(status.Record.LastSuccessAt),
                ["lastRequestKind"] = status.Record.LastRequestKind,
                ["hint"] = status.CommonHint is { } hint ? new JsonObject { ["code"] = hint.Code, ["text"] = hint.Text } : null,
            },
            ["counts"] = new JsonObject { ["users"] = counts.Users, ["groups"] = counts.Groups },
        };
        if (session is not null)
        {
            json["scopes"] = PortalLinkRequests.Strings(session.IsOperator ? PortalScopes.DirectoryScopes : session.Scopes);
            json["operator"] = session.IsOperator;
        }
        return json;
    }

    public static JsonObject Milestones(ConnectionRecord? record) => new()
    {
        ["probeAt"] = Timestamp(record?.ProbeAt),
        ["firstUserAt"] = Timestamp(record?.FirstUserAt),
        ["firstMembershipAt"] = Timestamp(record?.FirstMembershipAt),
    };

    public static string? Timestamp(DateTimeOffset? value) => value is { } at ? ManagementJson.Timestamp(at) : null;
}
