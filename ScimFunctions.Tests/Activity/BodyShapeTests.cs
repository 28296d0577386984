using System.Text.Json.Nodes;
using ScimFunctions.Activity;

namespace ScimFunctions.Tests.Activity;

public sealed class BodyShapeTests
{
    private const string UserId = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Names_are_kept_and_values_and_name_like_keys_are_not()
    {
        var body = JsonNode.Parse("""{"userName":"jane@example.com","name":{"givenName":"Jane"},"emails":[{"value":"jane@example.com"}],"jane@example.com":1}""")!.AsObject();
        var names = BodyShape.AttributeNames(body);
        Assert.Equal(["userName", "name.givenName", "emails", "?"], names);
    }

    [Fact]
    public void Patch_operations_are_kept_as_op_and_masked_path_and_member_ids_are_found()
    {
        var body = JsonNode.Parse($$$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Add","path":"members","value":[{"value":"{{{UserId}}}"},{"value":"not-an-id"}]},
              {"op":"remove","path":"members[value eq \"{{{UserId.Replace('0', 'f')}}}\"]"},
              {"op":"replace","value":{"displayName":"Finance Team"}}]}
            """)!.AsObject();
        Assert.Equal(["add members", "remove members[value eq \"***\"]", "replace displayName"], BodyShape.AttributeNames(body));
        Assert.Equal([UserId, UserId.Replace('0', 'f')], BodyShape.MemberIds(body));
    }
}
