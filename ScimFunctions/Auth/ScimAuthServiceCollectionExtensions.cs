using Azure.Core;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimFunctions.Configuration;
using ScimFunctions.Directories;
using ScimFunctions.Storage;

namespace ScimFunctions.Auth;

public static class ScimAuthServiceCollectionExtensions
{
    /// <summary>
    /// Tokens and request authentication (and the directories they belong to, see
    /// <see cref="DirectoryServiceCollectionExtensions.AddScimDirectories"/>), with <see cref="ScimAuthOptions"/>
    /// bound from configuration and validated at start-up. The token-hash store is Key Vault when
    /// <see cref="AppSettingNames.KeyVaultUri"/> is set; without it, Development gets an Azurite table and any
    /// other environment fails here, at start-up.
    /// </summary>
    public static IServiceCollection AddScimAuth(
        this IServiceCollection services,
        IConfiguration configuration,
        IHostEnvironment environment,
        Action<ScimAuthOptions>? configure = null)
    {
        services.AddOptions<ScimAuthOptions>()
            .Bind(configuration)
            .Validate(options => options.TokenCacheLifetime > TimeSpan.Zero,
                $"{AppSettingNames.TokenCacheLifetime} must be a positive TimeSpan such as 00:05:00.")
            .Validate(options => options.NegativeCacheLifetime > TimeSpan.Zero && options.RetryAfter > TimeSpan.Zero && options.CacheCapacity > 0,
                "Cache lifetimes, Retry-After and cache capacity must be positive.")
            .Validate(options => options.AuthFailureLimit > 0 && options.AuthFailureWindow > TimeSpan.Zero,
                $"{nameof(ScimAuthOptions.AuthFailureLimit)} and {nameof(ScimAuthOptions.AuthFailureWindow)} must be positive.")
            .ValidateOnStart();
        if (configure is not null) services.Configure(configure);

        services.TryAddSingleton(TimeProvider.System);
        services.AddScimStorageClients(configuration);
        services.AddScimDirectories(configuration);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<ScimAuthOptions>>().Value);
        services.TryAddSingleton<AuthCaches>();
        services.TryAddSingleton(provider => new TokenMetadataStore(
            new EnsuredTable(provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<ScimAuthOptions>().TokensTableName)));
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton<ScimRequestAuthenticator>();
        services.TryAddSingleton<AuthFailureLimiter>();

        var vaultUri = configuration[AppSettingNames.KeyVaultUri];
        if (!string.IsNullOrWhiteSpace(vaultUri))
        {
            if (!Uri.TryCreate(vaultUri, UriKind.Absolute, out var vault))
            {
                throw new InvalidOperationException($"{AppSettingNames.KeyVaultUri} is not an absolute URI.");
            }
            services.AddAzureClients(clients => clients.AddSecretClient(vault).ConfigureOptions(ConfigureSecretClient));
            services.AddSingleton<ITokenHashStore>(sp => new KeyVaultTokenHashStore(
                sp.GetRequiredService<SecretClient>(), sp.GetRequiredService<ILogger<KeyVaultTokenHashStore>>()));
        }
        else if (IsDevelopment(configuration, environment))
        {
            services.AddSingleton<ITokenHashStore>(sp => new DevelopmentTokenHashStore(
                new EnsuredTable(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<ScimAuthOptions>().DevelopmentTokenHashesTableName)));
        }
        else
        {
            throw new InvalidOperationException(
                $"{AppSettingNames.KeyVaultUri} is not set. Token hashes are kept in Key Vault outside Development " +
                $"(environment '{environment.EnvironmentName}'); set it to the vault's URI.");
        }
        return services;
    }

    public static bool IsDevelopment(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment()
        || string.Equals(configuration[AppSettingNames.FunctionsEnvironment], Environments.Development, StringComparison.OrdinalIgnoreCase);

    /// <summary>A SCIM request waits on a token-hash read: fail fast and let the IdP retry on 503 rather than hang.</summary>
    private static void ConfigureSecretClient(SecretClientOptions options)
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
    }
}
