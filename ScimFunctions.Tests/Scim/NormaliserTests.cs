using System.Text.Json.Nodes;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;
using static ScimFunctions.Tests.Scim.ScimTestData;

namespace ScimFunctions.Tests.Scim;

public class NormaliserTests
{
    private static JsonObject User(string json) => ScimNormaliser.NormaliseUser(ScimJson.ParseObject(json));

    private static IEnumerable<string> Schemas(JsonObject resource) => resource["schemas"]!.AsArray().Select(s => s!.GetValue<string>());

    [Fact]
    public void OneLogin_template_body_with_legacy_urns_strings_single_email_null_id_and_meta()
    {
        var user = User("""
            {
              "schemas": ["urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:2.0"],
              "id": null,
              "meta": { "created": "2020-01-01T00:00:00Z" },
              "userName": "kim@example.com",
              "name": { "givenName": "Kim", "familyName": "Lee" },
              "emails": { "value": "kim@example.com", "type": "work" },
              "active": "true",
              "urn:scim:schemas:extension:enterprise:2.0": { "department": "Ops", "employeeNumber": 1234 },
              "roles": "admin;editor; viewer",
              "badgeColour": "green"
            }
            """);
        Assert.Equal([ScimConstants.UserSchema, ScimConstants.EnterpriseUserSchema], Schemas(user));
        Assert.Null(user["id"]);
        Assert.Null(user["meta"]);
        Assert.True(user["active"]!.GetValue<bool>());
        var email = Assert.Single(user["emails"]!.AsArray())!;
        Assert.Equal("kim@example.com", email["value"]!.GetValue<string>());
        var enterprise = user[ScimConstants.EnterpriseUserSchema]!;
        Assert.Equal("Ops", enterprise["department"]!.GetValue<string>());
        Assert.Equal("1234", enterprise["employeeNumber"]!.GetValue<string>());
        Assert.Null(user["urn:scim:schemas:extension:enterprise:2.0"]);
        Assert.Equal(["admin", "editor", "viewer"], user["roles"]!.AsArray().Select(r => r!["value"]!.GetValue<string>()));
        Assert.Equal("green", user["badgeColour"]!.GetValue<string>());
    }

    [Fact]
    public void Enterprise_fields_under_both_keys_merge_with_the_standard_key_winning()
    {
        var user = User($$"""
            {
              "{{ScimConstants.EnterpriseUserSchema}}": { "department": "Standard" },
              "userName": "a",
              "urn:scim:schemas:extension:enterprise:2.0": { "department": "Legacy", "costCenter": "7" }
            }
            """);
        var enterprise = user[ScimConstants.EnterpriseUserSchema]!;
        Assert.Equal("Standard", enterprise["department"]!.GetValue<string>());
        Assert.Equal("7", enterprise["costCenter"]!.GetValue<string>());
    }

    [Fact]
    public void Attribute_names_are_matched_case_insensitively_and_written_canonically()
    {
        var user = User("""{"USERNAME":"a","Name":{"GIVENNAME":"A"},"Active":"FALSE","EMAILS":[{"Value":"a@x","Primary":"true"}]}""");
        Assert.Equal("a", user["userName"]!.GetValue<string>());
        Assert.Equal("A", user["name"]!["givenName"]!.GetValue<string>());
        Assert.False(user["active"]!.GetValue<bool>());
        Assert.True(user["emails"]![0]!["primary"]!.GetValue<bool>());
    }

    [Fact]
    public void Okta_create_body_drops_password_and_readOnly_groups()
    {
        var user = User("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@b","externalId":"00u1",
             "password":"p@ss","groups":[],"name":{"givenName":"A","familyName":"B"},"active":true}
            """);
        Assert.Null(user["password"]);
        Assert.Null(user["groups"]);
        Assert.Equal("00u1", user["externalId"]!.GetValue<string>());
    }

    [Fact]
    public void Entra_body_with_empty_roles_and_manager_keeps_what_matters()
    {
        var user = User("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "userName":"a@b","roles":[],"active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1","displayName":"ignored readOnly"}}}
            """);
        Assert.Null(user["roles"]);
        var manager = user[ScimConstants.EnterpriseUserSchema]!["manager"]!.AsObject();
        Assert.Equal("m1", manager["value"]!.GetValue<string>());
        Assert.False(manager.ContainsKey("displayName"));
    }

    [Fact]
    public void Two_primaries_become_one()
    {
        var user = User("""{"userName":"a","emails":[{"value":"1@x","primary":true},{"value":"2@x","primary":true}]}""");
        Assert.Single(user["emails"]!.AsArray(), e => e!["primary"]!.GetValue<bool>());
    }

    [Fact]
    public void Group_body_splits_members_out_and_keeps_extra_schemas()
    {
        var group = ScimNormaliser.NormaliseGroup(ScimJson.ParseObject("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
             "displayName":"Admins","members":[{"value":"u1","type":"user"},{"value":"u2","display":"Two"}]}
            """));
        Assert.Null(group.Resource["members"]);
        Assert.Equal([new MemberRef("u1", "User"), new MemberRef("u2", null, "Two")], group.Members);
        Assert.Contains("http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group", Schemas(group.Resource));
        Assert.Empty(ScimNormaliser.NormaliseGroup(ScimJson.ParseObject("""{"displayName":"Empty","members":[]}""")).Members);
    }

    [Theory]
    [InlineData("""{"name":{"givenName":"a"}}""", ScimErrorType.InvalidValue)]
    [InlineData("""{"userName":""}""", ScimErrorType.InvalidValue)]
    [InlineData("""{"userName":"a","active":"perhaps"}""", ScimErrorType.InvalidValue)]
    [InlineData("""{"userName":"a","name":"just a string"}""", ScimErrorType.InvalidValue)]
    [InlineData("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"x"}""", ScimErrorType.InvalidValue)]
    [InlineData("""{"userName":{"nested":true}}""", ScimErrorType.InvalidValue)]
    public void Bad_user_bodies_are_400(string json, string scimType)
        => Throws400(() => User(json), scimType);

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"userName\": \"a\",}")]
    public void Bodies_that_are_not_a_json_object_are_invalidSyntax(string json)
        => Throws400(() => ScimJson.ParseObject(json), ScimErrorType.InvalidSyntax);

    [Fact]
    public void Absurdly_nested_json_is_invalidSyntax()
        => Throws400(() => ScimJson.ParseObject(new string('[', 10_000) + new string(']', 10_000)), ScimErrorType.InvalidSyntax);

    [Fact]
    public void Group_without_displayName_is_invalidValue()
        => Throws400(() => ScimNormaliser.NormaliseGroup(ScimJson.ParseObject("""{"members":[]}""")), ScimErrorType.InvalidValue);
}
