using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>Okta: PUT for user updates, a no-path replace to deactivate (users are never deleted), group push
/// that re-sends the group's name (<c>{id, displayName}</c>) with every membership change.</summary>
public sealed class OktaDialect : IdpDialect
{
    public override string Name => "Okta";

    public override bool DeletesUsers => false;

    public override ScimCall CreateUser(ModelUser user) => new(HttpMethod.Post, "/Users", Body(user));

    public override ScimCall UpdateUser(ModelUser after)
    {
        var body = Body(after);
        body["id"] = after.Id;
        return new(HttpMethod.Put, $"/Users/{after.Id}", body);
    }

    public override ScimCall SetActive(ModelUser after) =>
        new(HttpMethod.Patch, $"/Users/{after.Id}", Patch(new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["active"] = after.Active } }));

    public override ScimCall CreateGroup(string displayName) => new(HttpMethod.Post, "/Groups", new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
        ["displayName"] = displayName,
        ["members"] = new JsonArray(),
    });

    public override ScimCall RenameGroup(string id, string newName) => new(HttpMethod.Patch, $"/Groups/{id}", Patch(NameResent(id, newName)));

    public override ScimCall AddMembers(ModelGroup group, IReadOnlyList<string> userIds) =>
        new(HttpMethod.Patch, $"/Groups/{group.Id}", Patch(NameResent(group.Id, group.DisplayName), MembersOp("add", userIds)));

    public override ScimCall RemoveMembers(ModelGroup group, IReadOnlyList<string> userIds, int variant) =>
        new(HttpMethod.Patch, $"/Groups/{group.Id}", Patch([NameResent(group.Id, group.DisplayName), .. FilteredRemovals(userIds)]));

    private static JsonObject NameResent(string id, string displayName) =>
        new() { ["op"] = "replace", ["value"] = new JsonObject { ["id"] = id, ["displayName"] = displayName } };

    private static JsonObject Body(ModelUser user) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = user.UserName,
        ["name"] = new JsonObject { ["givenName"] = user.DisplayName, ["familyName"] = "Okta" },
        ["emails"] = new JsonArray(new JsonObject { ["primary"] = true, ["value"] = user.UserName, ["type"] = "work" }),
        ["displayName"] = user.DisplayName,
        ["locale"] = "en-US",
        ["groups"] = new JsonArray(),
        ["password"] = "t1meMa$heen",
        ["active"] = user.Active,
    };
}
