using System.Text.Json.Nodes;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Functions.Roles;

/// <summary>Bodies of the app read API: a user or group as the app needs it (identity, roles, groups), not the SCIM document.</summary>
internal static class AppReadJson
{
    public static JsonObject User(StoredResource user, RoleAssignment? assignment)
    {
        var document = user.Document;
        return new JsonObject
        {
            ["id"] = user.Id,
            ["userName"] = document["userName"]?.DeepClone(),
            ["externalId"] = document["externalId"]?.DeepClone(),
            ["displayName"] = document["displayName"]?.DeepClone(),
            ["active"] = document["active"]?.DeepClone(),
            ["emails"] = document["emails"]?.DeepClone(),
            ["roles"] = RoleJson.Strings(assignment?.Roles ?? []),
            ["rolesComputedAt"] = assignment is null ? null : RoleJson.Timestamp(assignment.ComputedAt),
        };
    }

    public static JsonObject UserWithGroups(StoredResource user, RoleAssignment? assignment, IEnumerable<MembershipReference> groups)
    {
        var body = User(user, assignment);
        body["groups"] = new JsonArray([.. groups.Select(g => (JsonNode)new JsonObject { ["id"] = g.Id, ["displayName"] = g.Display })]);
        return body;
    }

    public static JsonObject Group(StoredResource group, IEnumerable<string> roles) => new()
    {
        ["id"] = group.Id,
        ["displayName"] = group.Document["displayName"]?.DeepClone(),
        ["externalId"] = group.Document["externalId"]?.DeepClone(),
        ["roles"] = RoleJson.Strings(roles),
    };
}
