using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Schema;
using static ScimFunctions.Tests.Scim.ScimTestData;

namespace ScimFunctions.Tests.Scim;

public class SchemaAndMessageTests
{
    [Fact]
    public void User_schema_renders_every_characteristic_as_rfc7643_section7()
    {
        var json = ScimSchemas.User.ToJson("https://example.com/v2/Schemas");
        Assert.Equal(ScimConstants.UserSchema, json["id"]!.GetValue<string>());
        Assert.Equal("https://example.com/v2/Schemas/" + ScimConstants.UserSchema, json["meta"]!["location"]!.GetValue<string>());
        var userName = json["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "userName")!;
        Assert.Equal("string", userName["type"]!.GetValue<string>());
        Assert.True(userName["required"]!.GetValue<bool>());
        Assert.False(userName["caseExact"]!.GetValue<bool>());
        Assert.Equal("readWrite", userName["mutability"]!.GetValue<string>());
        Assert.Equal("default", userName["returned"]!.GetValue<string>());
        Assert.Equal("server", userName["uniqueness"]!.GetValue<string>());
        var groups = json["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "groups")!;
        Assert.Equal("readOnly", groups["mutability"]!.GetValue<string>());
        var reference = groups["subAttributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "$ref")!;
        Assert.Equal(["Group"], reference["referenceTypes"]!.AsArray().Select(r => r!.GetValue<string>()));
        var password = json["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "password")!;
        Assert.Equal("never", password["returned"]!.GetValue<string>());
        Assert.Equal("writeOnly", password["mutability"]!.GetValue<string>());
        var emailType = json["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "emails")!["subAttributes"]!
            .AsArray().Single(a => a!["name"]!.GetValue<string>() == "type")!;
        Assert.Equal(["work", "home", "other"], emailType["canonicalValues"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void Resource_types_name_their_schema_and_extensions()
    {
        var user = ResourceSchemas.User.ToResourceTypeJson();
        Assert.Equal("/Users", user["endpoint"]!.GetValue<string>());
        Assert.Equal(ScimConstants.UserSchema, user["schema"]!.GetValue<string>());
        Assert.Equal(ScimConstants.EnterpriseUserSchema, user["schemaExtensions"]![0]!["schema"]!.GetValue<string>());
        Assert.False(user["schemaExtensions"]![0]!["required"]!.GetValue<bool>());
        Assert.Null(ResourceSchemas.Group.ToResourceTypeJson()["schemaExtensions"]);
    }

    [Fact]
    public void Attribute_lookup_is_case_insensitive()
    {
        Assert.Same(ScimSchemas.User.FindAttribute("userName"), ScimSchemas.User.FindAttribute("USERNAME"));
        Assert.NotNull(ScimSchemas.User.FindAttribute("name")!.FindSubAttribute("GivenName"));
        Assert.NotNull(ResourceSchemas.User.FindTopLevelAttribute("ID"));
    }

    [Fact]
    public void Error_body_has_status_as_a_string()
    {
        var error = ScimFunctions.Functions.Http.ErrorMapper.Map(ScimException.InvalidFilter("bad"));
        var body = new ScimError(error.Status, error.ScimType, error.Detail).ToJson();
        Assert.Equal(JsonValueKind.String, body["status"]!.GetValueKind());
        Assert.Equal("400", body["status"]!.GetValue<string>());
        Assert.Equal("invalidFilter", body["scimType"]!.GetValue<string>());
        Assert.Equal(ScimConstants.ErrorSchema, body["schemas"]![0]!.GetValue<string>());
        Assert.Null(new ScimError(404, null, "gone").ToJson()["scimType"]);
    }

    [Theory]
    [InlineData("application/scim+json", true)]
    [InlineData("application/scim+json; charset=utf-8", true)]
    [InlineData("Application/JSON", true)]
    [InlineData(null, true)]
    [InlineData("text/plain", false)]
    [InlineData("application/xml", false)]
    public void Both_json_media_types_are_read(string? contentType, bool supported)
        => Assert.Equal(supported, ScimJson.IsSupportedContentType(contentType));

    [Fact]
    public void List_response_serialises_the_same_through_options_and_ToJson()
    {
        var list = new ScimListResponse([Group()], totalResults: 7, startIndex: 3);
        var viaOptions = JsonNode.Parse(JsonSerializer.Serialize(list, ScimJson.Options))!.AsObject();
        Assert.True(JsonNode.DeepEquals(viaOptions, list.ToJson()));
        Assert.Equal(1, viaOptions["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(ScimConstants.ListResponseSchema, viaOptions["schemas"]![0]!.GetValue<string>());
        Assert.NotNull(viaOptions["Resources"]);
    }

    [Fact]
    public void Patch_request_reads_lenient_keys_and_round_trips()
    {
        var request = PatchRequest.Parse(ScimJson.ParseObject("""{"operations":[{"OP":"ADD","Path":"title","Value":"x"}]}"""));
        var operation = Assert.Single(request.Operations);
        Assert.Equal(PatchOperationType.Add, operation.Op);
        Assert.Equal("title", operation.Path);
        var again = PatchRequest.Parse(request.ToJson());
        Assert.Equal(operation.Op, again.Operations[0].Op);
        Assert.Equal("add", request.ToJson()["Operations"]![0]!["op"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Operations":[]}""")]
    [InlineData("""{"Operations":{"op":"add"}}""")]
    [InlineData("""{"Operations":[42]}""")]
    [InlineData("""{}""")]
    public void Malformed_patch_messages_are_invalidSyntax(string json)
        => Throws400(() => PatchRequest.Parse(ScimJson.ParseObject(json)), ScimErrorType.InvalidSyntax);

    [Fact]
    public void Too_many_operations_is_tooMany()
    {
        var operations = new JsonArray(Enumerable.Range(0, PatchRequest.MaxOperations + 1)
            .Select(_ => (JsonNode?)new JsonObject { ["op"] = "add", ["path"] = "title", ["value"] = "x" }).ToArray());
        Throws400(() => PatchRequest.Parse(new JsonObject { ["Operations"] = operations }), ScimErrorType.TooMany);
    }
}
