using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Tests.Auth;

namespace ScimFunctions.Tests.Directories;

public sealed class ScimBaseUrlsTests
{
    [Fact]
    public void Without_a_public_base_url_the_request_scheme_and_host_are_used()
    {
        var urls = new ScimBaseUrls(new DirectoryOptions());

        Assert.Equal("https://contoso-scim.azurewebsites.net/scim/abc123/v2", urls.For(Http.Request(host: "contoso-scim.azurewebsites.net"), "abc123"));
        Assert.Equal("https://localhost:7071/scim/abc123/v2", urls.For(Http.Request(host: "localhost:7071"), "abc123"));
    }

    [Fact]
    public void A_public_base_url_wins_over_the_request()
    {
        var urls = new ScimBaseUrls(new DirectoryOptions { PublicBaseUrl = "https://scim.contoso.example/" });

        Assert.Equal("https://scim.contoso.example/scim/abc123/v2", urls.For(Http.Request(host: "internal.host"), "abc123"));
    }
}
