using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>How one identity provider words each operation of a sync (see docs/idp-behaviour.md and the
/// scenario tests): the model-based test sends the same operations in each dialect.</summary>
public abstract class IdpDialect
{
    public abstract string Name { get; }

    /// <summary>Whether users are deleted at all (Okta only deactivates them).</summary>
    public virtual bool DeletesUsers => true;

    /// <summary>Whether a delete is preceded by a soft delete (Entra ID: active false, then DELETE).</summary>
    public virtual bool SoftDeletesFirst => false;

    public abstract ScimCall CreateUser(ModelUser user);

    /// <summary>A change of displayName (the rest of the user as it is).</summary>
    public abstract ScimCall UpdateUser(ModelUser after);

    public abstract ScimCall SetActive(ModelUser after);

    public ScimCall DeleteUser(string id) => new(HttpMethod.Delete, $"/Users/{id}", null);

    public abstract ScimCall CreateGroup(string displayName);

    public abstract ScimCall RenameGroup(string id, string newName);

    public abstract ScimCall AddMembers(ModelGroup group, IReadOnlyList<string> userIds);

    /// <param name="variant">a random number: dialects with two shapes for a removal pick one by it</param>
    public abstract ScimCall RemoveMembers(ModelGroup group, IReadOnlyList<string> userIds, int variant);

    public ScimCall DeleteGroup(string id) => new(HttpMethod.Delete, $"/Groups/{id}", null);

    /// <summary>A group create naming a member that is not a user of the directory: refused, writes nothing.</summary>
    public ScimCall CreateGroupWithStranger(string displayName, string strangerId) => new(HttpMethod.Post, "/Groups", new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
        ["displayName"] = displayName,
        ["members"] = Members([strangerId]),
    });

    protected static JsonObject Patch(params JsonObject[] operations) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray([.. operations]),
    };

    protected static JsonArray Members(IEnumerable<string> ids) => new([.. ids.Select(id => (JsonNode)new JsonObject { ["value"] = id })]);

    protected static JsonObject MembersOp(string op, IEnumerable<string> ids) => new() { ["op"] = op, ["path"] = "members", ["value"] = Members(ids) };

    protected static IEnumerable<JsonObject> FilteredRemovals(IEnumerable<string> ids) =>
        ids.Select(id => new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{id}\"]" });
}
