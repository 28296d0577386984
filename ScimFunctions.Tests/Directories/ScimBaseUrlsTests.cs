using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimFunctions.Configuration;
using ScimFunctions.Directories;
using ScimFunctions.Tests.Auth;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Directories;

public sealed class ScimBaseUrlsTests
{
    [Fact]
    public void In_development_without_a_public_base_url_the_request_scheme_and_host_are_used()
    {
        var urls = new ScimBaseUrls(new DirectoryOptions { AllowRequestHost = true });

        Assert.Equal("https://contoso-scim.azurewebsites.net/scim/abc123/v2", urls.For(Http.Request(host: "contoso-scim.azurewebsites.net"), "abc123"));
        Assert.Equal("https://localhost:7071/scim/abc123/v2", urls.For(Http.Request(host: "localhost:7071"), "abc123"));
    }

    [Fact]
    public void A_public_base_url_wins_over_the_request()
    {
        var urls = new ScimBaseUrls(new DirectoryOptions { PublicBaseUrl = "https://scim.contoso.example/", AllowRequestHost = true });

        Assert.Equal("https://scim.contoso.example/scim/abc123/v2", urls.For(Http.Request(host: "internal.host"), "abc123"));
    }

    [Fact]
    public void Outside_development_the_host_header_never_makes_a_url()
    {
        var urls = new ScimBaseUrls(new DirectoryOptions());

        Assert.Throws<InvalidOperationException>(() => urls.For(Http.Request(host: "attacker.example"), "abc123"));
    }

    [Fact]
    public void Outside_development_start_up_requires_the_public_base_url_and_then_uses_it()
    {
        var missing = Resolve(new Dictionary<string, string?> { [AppSettingNames.FunctionsEnvironment] = "Production" });
        var error = Assert.Throws<OptionsValidationException>(() => missing.GetRequiredService<DirectoryOptions>());
        Assert.Contains(AppSettingNames.PublicBaseUrl, error.Message);

        var configured = Resolve(new Dictionary<string, string?>
        {
            [AppSettingNames.FunctionsEnvironment] = "Production",
            [AppSettingNames.PublicBaseUrl] = "https://contoso-scim.azurewebsites.net",
        });
        var urls = configured.GetRequiredService<ScimBaseUrls>();
        Assert.Equal("https://contoso-scim.azurewebsites.net/scim/abc123/v2", urls.For(Http.Request(host: "attacker.example"), "abc123"));
        Assert.False(configured.GetRequiredService<DirectoryOptions>().AllowRequestHost);
    }

    private static ServiceProvider Resolve(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddScimDirectories(TestStorage.Configuration(settings)).BuildServiceProvider();
}
