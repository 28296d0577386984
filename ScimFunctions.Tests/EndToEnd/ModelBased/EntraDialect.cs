using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>Entra ID: PATCH for every update with capitalised ops and <c>"False"</c>, a dotted no-path replace,
/// a soft delete (active false) before the hard delete, groups created empty and filled by <c>Add</c>/<c>Remove</c>.</summary>
public sealed class EntraDialect : IdpDialect
{
    public override string Name => "Entra ID";

    public override bool SoftDeletesFirst => true;

    public override ScimCall CreateUser(ModelUser user) => new(HttpMethod.Post, "/Users", new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
        ["externalId"] = user.UserName.Split('@')[0],
        ["userName"] = user.UserName,
        ["active"] = user.Active,
        ["displayName"] = user.DisplayName,
        ["emails"] = new JsonArray(new JsonObject { ["primary"] = true, ["type"] = "work", ["value"] = user.UserName }),
        ["name"] = new JsonObject { ["formatted"] = user.DisplayName, ["familyName"] = "Entra", ["givenName"] = user.DisplayName },
    });

    // Both shapes Entra sends: the default job's one attribute per op, and aadOptscim062020's dotted no-path replace.
    public override ScimCall UpdateUser(ModelUser after) => new(HttpMethod.Patch, $"/Users/{after.Id}", after.DisplayName.Length % 2 == 0
        ? Patch(new JsonObject { ["op"] = "Replace", ["path"] = "displayName", ["value"] = after.DisplayName })
        : Patch(new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["displayName"] = after.DisplayName, ["name.givenName"] = after.DisplayName } }));

    public override ScimCall SetActive(ModelUser after) =>
        new(HttpMethod.Patch, $"/Users/{after.Id}", Patch(new JsonObject { ["op"] = "Replace", ["path"] = "active", ["value"] = after.Active ? "True" : "False" }));

    public override ScimCall CreateGroup(string displayName) => new(HttpMethod.Post, "/Groups", new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
        ["externalId"] = Guid.NewGuid().ToString(),
        ["displayName"] = displayName,
        ["members"] = new JsonArray(),
    });

    public override ScimCall RenameGroup(string id, string newName) =>
        new(HttpMethod.Patch, $"/Groups/{id}", Patch(new JsonObject { ["op"] = "Replace", ["path"] = "displayName", ["value"] = newName }));

    public override ScimCall AddMembers(ModelGroup group, IReadOnlyList<string> userIds) =>
        new(HttpMethod.Patch, $"/Groups/{group.Id}", Patch(MembersOp("Add", userIds)));

    public override ScimCall RemoveMembers(ModelGroup group, IReadOnlyList<string> userIds, int variant) =>
        new(HttpMethod.Patch, $"/Groups/{group.Id}", Patch(MembersOp("Remove", userIds)));
}
