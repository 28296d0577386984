using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Tests.Scim;

public sealed class UserActivityTests
{
    [Theory]
    [InlineData("""{"userName":"a"}""", true)]
    [InlineData("""{"active":true}""", true)]
    [InlineData("""{"active":false}""", false)]
    [InlineData("""{"Active":false}""", false)]
    [InlineData("""{"active":"false"}""", false)]
    [InlineData("""{"active":"False"}""", false)]
    [InlineData("""{"active":" FALSE "}""", false)]
    [InlineData("""{"active":"true"}""", true)]
    [InlineData("""{"active":"no"}""", true)]
    [InlineData("""{"active":null}""", true)]
    [InlineData("""{"active":0}""", true)]
    public void Only_an_explicit_false_makes_a_user_inactive(string user, bool active)
    {
        Assert.Equal(active, UserActivity.IsActive(JsonNode.Parse(user)!.AsObject()));
    }

    [Fact]
    public void Values_built_in_code_follow_the_same_rule()
    {
        Assert.False(UserActivity.IsActive(new JsonObject { ["active"] = false }));
        Assert.False(UserActivity.IsActive(new JsonObject { ["active"] = "False" }));
        Assert.True(UserActivity.IsActive(new JsonObject { ["active"] = true }));
        Assert.True(UserActivity.IsActive(new JsonObject()));
    }
}
