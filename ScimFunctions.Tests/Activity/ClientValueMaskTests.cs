using ScimFunctions.Activity;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Activity;

public sealed class ClientValueMaskTests
{
    [Theory]
    [InlineData("userName eq \"jane@example.com\"", "userName eq \"***\"")]
    [InlineData("emails[value co \"a\\\"b\"] and active eq true", "emails[value co \"***\"] and active eq true")]
    [InlineData("externalId eq \"unterminated", "externalId eq \"***\"")]
    [InlineData("meta.lastModified gt \"2020-01-01T00:00:00Z\" or title pr", "meta.lastModified gt \"***\" or title pr")]
    public void Filter_literals_are_masked(string filter, string masked) => Assert.Equal(masked, ClientValueMask.Filter(filter));

    [Fact]
    public void A_uniqueness_conflict_detail_is_rebuilt_without_the_value()
    {
        var conflict = new UniquenessConflictException("userName", "jane@example.com");
        Assert.Contains("jane@example.com", conflict.Message);
        var detail = ClientValueMask.Detail(conflict, conflict.Message);
        Assert.Equal("The userName is already in use in this directory.", detail);
    }

    [Fact]
    public void Quoted_client_values_in_other_details_are_masked()
    {
        Assert.Equal("count must be an integer, not \"***\".", ClientValueMask.Detail(null, "count must be an integer, not \"jane\"."));
        Assert.Equal("User *** not found.", ClientValueMask.Detail(new ResourceNotFoundException("User", "jane@example.com"), "User 'jane@example.com' not found."));
        var ids = new InvalidStoreValueException("Not users of this directory: jane@example.com, 0123456789abcdef0123456789abcdef.", ["jane@example.com", "0123456789abcdef0123456789abcdef"]);
        var detail = ClientValueMask.Detail(ids, ids.Message)!;
        Assert.DoesNotContain("jane", detail);
        Assert.Contains("0123456789abcdef0123456789abcdef", detail);
    }
}
