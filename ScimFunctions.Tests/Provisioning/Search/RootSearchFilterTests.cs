using ScimFunctions.Provisioning.Search;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Tests.Provisioning.Search;

public sealed class RootSearchFilterTests
{
    [Theory]
    [InlineData("userName eq \"a\"", true, false)]
    [InlineData("members.value eq \"a\"", false, true)]
    [InlineData("displayName eq \"a\"", true, true)]
    [InlineData("userName eq \"a\" or displayName eq \"b\"", true, true)]
    [InlineData("userName eq \"a\" and displayName eq \"b\"", true, false)]
    [InlineData("not (userName eq \"a\")", true, true)]
    [InlineData("userName ne \"a\"", true, true)]
    [InlineData("emails[type eq \"work\"]", true, false)]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName pr", true, false)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"x\"", true, false)]
    [InlineData("meta.lastModified gt \"2020-01-01T00:00:00Z\"", true, true)]
    public void A_type_is_read_only_when_the_filter_can_match_it(string filter, bool users, bool groups)
    {
        var root = ScimFilter.Parse(filter).Root;
        Assert.Equal(users, RootSearchFilter.CanMatch(root, ResourceSchemas.User, ResourceSchemas.Group));
        Assert.Equal(groups, RootSearchFilter.CanMatch(root, ResourceSchemas.Group, ResourceSchemas.User));
    }
}
