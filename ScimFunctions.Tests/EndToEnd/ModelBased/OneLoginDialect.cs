using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>OneLogin: an admin-edited template (legacy URNs, an <c>emails</c> object, string booleans) POSTed and
/// PUT whole, suspension by PUT, both removal shapes, <c>application/json</c>.</summary>
public sealed class OneLoginDialect : IdpDialect
{
    public override string Name => "OneLogin";

    public override ScimCall CreateUser(ModelUser user) => new(HttpMethod.Post, "/Users", Template(user), "application/json");

    public override ScimCall UpdateUser(ModelUser after) => new(HttpMethod.Put, $"/Users/{after.Id}", Template(after), "application/json");

    public override ScimCall SetActive(ModelUser after) => UpdateUser(after);

    public override ScimCall CreateGroup(string displayName) =>
        new(HttpMethod.Post, "/Groups", new JsonObject { ["schemas"] = new JsonArray("urn:scim:schemas:core:2.0"), ["displayName"] = displayName }, "application/json");

    public override ScimCall RenameGroup(string id, string newName) =>
        new(HttpMethod.Patch, $"/Groups/{id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = newName }));

    public override ScimCall AddMembers(ModelGroup group, IReadOnlyList<string> userIds) =>
        new(HttpMethod.Patch, $"/Groups/{group.Id}", Patch(MembersOp("add", userIds)));

    public override ScimCall RemoveMembers(ModelGroup group, IReadOnlyList<string> userIds, int variant) =>
        new(HttpMethod.Patch, $"/Groups/{group.Id}", variant % 2 == 0 ? Patch([.. FilteredRemovals(userIds)]) : Patch(MembersOp("remove", userIds)));

    private static JsonObject Template(ModelUser user) => new()
    {
        ["schemas"] = new JsonArray("urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:2.0"),
        ["id"] = null,
        ["meta"] = new JsonObject(),
        ["userName"] = user.UserName,
        ["displayName"] = user.DisplayName,
        ["name"] = new JsonObject { ["givenName"] = user.DisplayName, ["familyName"] = "OneLogin" },
        ["emails"] = new JsonObject { ["value"] = user.UserName, ["type"] = "work" },
        ["active"] = user.Active ? "true" : "false",
        ["urn:scim:schemas:extension:enterprise:2.0"] = new JsonObject { ["department"] = "R&D" },
    };
}
