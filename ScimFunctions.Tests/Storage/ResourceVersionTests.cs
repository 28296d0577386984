using Azure;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

public sealed class ResourceVersionTests
{
    [Fact]
    public void Versions_round_trip_and_foreign_text_matches_nothing()
    {
        var etag = new ETag("W/\"datetime'2025-01-01T00%3A00%3A00.1234567Z'\"");
        var version = ResourceVersion.FromETag(etag);

        Assert.StartsWith("W/\"", version);
        Assert.DoesNotContain("datetime", version);
        Assert.Equal(etag, ResourceVersion.ToETag(version));
        Assert.True(ResourceVersion.Matches(version, version));
        Assert.True(ResourceVersion.Matches("*", version));
        Assert.True(ResourceVersion.Matches("W/\"other\", " + version, version));
        Assert.False(ResourceVersion.Matches("W/\"%%%\"", version));
        Assert.False(ResourceVersion.Matches("no quotes", version));
        Assert.False(ResourceVersion.Matches(ResourceVersion.FromETag(new ETag("W/\"x\"")), version));
    }
}
