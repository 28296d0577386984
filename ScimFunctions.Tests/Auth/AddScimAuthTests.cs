using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using ScimFunctions.Activity;
using ScimFunctions.Auth;
using ScimFunctions.Storage;
using ScimFunctions.Configuration;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Auth;

public sealed class AddScimAuthTests
{
    private static IServiceProvider Build(string environmentName, IDictionary<string, string?> settings, bool withData = false)
    {
        var configuration = TestStorage.Configuration(settings);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddScimAuth(configuration, new HostingEnvironment { EnvironmentName = environmentName });
        services.AddScimHttpEdge();
        if (withData)
        {
            // The directory list shows counts and connection state, read from the data and activity tables.
            services.AddScimStorage(configuration);
            services.AddActivity(configuration);
        }
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public void With_a_vault_uri_the_hashes_go_to_key_vault_with_the_configured_identity()
    {
        var provider = Build(Environments.Production, new Dictionary<string, string?>
        {
            [AppSettingNames.FunctionsEnvironment] = "Production",
            [AppSettingNames.KeyVaultUri] = "https://contoso-scim.vault.azure.net/",
            [AppSettingNames.AzureClientId] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.IsType<KeyVaultTokenHashStore>(provider.GetRequiredService<ITokenHashStore>());
        Assert.Equal(new Uri("https://contoso-scim.vault.azure.net/"), provider.GetRequiredService<SecretClient>().VaultUri);
    }

    [Fact]
    public void Without_a_vault_outside_development_start_up_fails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(Environments.Production, new Dictionary<string, string?>
        {
            [AppSettingNames.FunctionsEnvironment] = "Production",
        }));

        Assert.Contains(AppSettingNames.KeyVaultUri, error.Message);
    }

    [Fact]
    public void Without_a_vault_in_development_the_azurite_store_is_used()
    {
        var provider = Build(Environments.Production, new Dictionary<string, string?>
        {
            [AppSettingNames.FunctionsEnvironment] = "Development",
        });

        Assert.IsType<DevelopmentTokenHashStore>(provider.GetRequiredService<ITokenHashStore>());
    }

    [Fact]
    public void The_host_environment_alone_also_counts_as_development()
    {
        var provider = Build(Environments.Development, new Dictionary<string, string?>
        {
            [AppSettingNames.FunctionsEnvironment] = null,
        });

        Assert.IsType<DevelopmentTokenHashStore>(provider.GetRequiredService<ITokenHashStore>());
    }

    [Fact]
    public void Settings_set_the_cache_lifetime_and_public_base_url()
    {
        var provider = Build(Environments.Development, new Dictionary<string, string?>
        {
            [AppSettingNames.TokenCacheLifetime] = "00:00:45",
            [AppSettingNames.PublicBaseUrl] = "https://scim.contoso.example/",
        });

        Assert.Equal(TimeSpan.FromSeconds(45), provider.GetRequiredService<ScimAuthOptions>().TokenCacheLifetime);
        Assert.Equal("https://scim.contoso.example", provider.GetRequiredService<DirectoryOptions>().PublicBaseUrl);
    }

    [Theory]
    [InlineData(AppSettingNames.TokenCacheLifetime, "five minutes")]
    [InlineData(AppSettingNames.TokenCacheLifetime, "-00:01:00")]
    [InlineData(AppSettingNames.PublicBaseUrl, "scim.contoso.example")]
    [InlineData(AppSettingNames.KeyVaultUri, "not a uri")]
    public void Bad_settings_fail_at_start_up(string name, string value)
    {
        // The vault URI decides what is registered, so it fails while registering; the options fail when first
        // read, which the hosts do at start-up (ValidateOnStart).
        var error = Record.Exception(() =>
        {
            var provider = Build(Environments.Development, new Dictionary<string, string?> { [name] = value });
            _ = provider.GetRequiredService<ScimAuthOptions>();
            _ = provider.GetRequiredService<DirectoryOptions>();
        });

        Assert.True(error is InvalidOperationException or OptionsValidationException, $"Expected a start-up failure, got {error?.GetType().Name ?? "none"}.");
        if (error is OptionsValidationException validation) Assert.Contains(name, validation.Message);
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_from_starting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddConfiguration(TestStorage.Configuration(new Dictionary<string, string?> { [AppSettingNames.TokenCacheLifetime] = "-00:01:00" }));
        builder.Services.AddScimFunctions(builder.Configuration, builder.Environment);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(AppSettingNames.TokenCacheLifetime, error.Message);
    }

    [Fact]
    public void The_management_functions_and_the_authenticator_resolve()
    {
        var provider = Build(Environments.Development, new Dictionary<string, string?>(), withData: true);

        Assert.NotNull(provider.GetRequiredService<ScimRequestAuthenticator>());
        Assert.NotNull(ActivatorUtilities.CreateInstance<DirectoryManagementFunctions>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<TokenManagementFunctions>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<DirectoryPurgeFunction>(provider));
    }
}
