using System.Globalization;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScimFunctions.Configuration;
using ScimFunctions.Directories;
using ScimFunctions.Storage;

namespace ScimFunctions.Auth;

public static class ScimAuthServiceCollectionExtensions
{
    /// <summary>
    /// Directories, tokens and request authentication. The token-hash store is Key Vault when
    /// <see cref="AppSettingNames.KeyVaultUri"/> is set; without it, Development gets an Azurite table and any
    /// other environment fails here, at start-up.
    /// </summary>
    public static IServiceCollection AddScimAuth(
        this IServiceCollection services,
        IConfiguration configuration,
        IHostEnvironment environment,
        Action<ScimAuthOptions>? configure = null)
    {
        var options = ReadOptions(configuration);
        configure?.Invoke(options);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => StorageClients.CreateTableServiceClient(configuration));
        services.AddSingleton(options);
        services.AddSingleton<AuthCaches>();
        services.AddSingleton<ScimBaseUrls>();
        services.AddSingleton(sp => new DirectoryStore(
            new EnsuredTable(sp.GetRequiredService<TableServiceClient>(), options.DirectoriesTableName), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TokenMetadataStore(
            new EnsuredTable(sp.GetRequiredService<TableServiceClient>(), options.TokensTableName)));
        services.AddSingleton<TokenService>();
        services.AddSingleton<DirectoryService>();
        services.AddSingleton<DirectoryPurger>();
        services.AddSingleton<ScimRequestAuthenticator>();

        var vaultUri = configuration[AppSettingNames.KeyVaultUri];
        if (!string.IsNullOrWhiteSpace(vaultUri))
        {
            if (!Uri.TryCreate(vaultUri, UriKind.Absolute, out var vault))
            {
                throw new InvalidOperationException($"{AppSettingNames.KeyVaultUri} is not an absolute URI.");
            }
            services.TryAddSingleton(_ => CreateSecretClient(vault, configuration));
            services.AddSingleton<ITokenHashStore>(sp => new KeyVaultTokenHashStore(
                sp.GetRequiredService<SecretClient>(), sp.GetRequiredService<ILogger<KeyVaultTokenHashStore>>()));
        }
        else if (IsDevelopment(configuration, environment))
        {
            services.AddSingleton<ITokenHashStore>(sp => new DevelopmentTokenHashStore(
                new EnsuredTable(sp.GetRequiredService<TableServiceClient>(), options.DevelopmentTokenHashesTableName)));
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

    private static ScimAuthOptions ReadOptions(IConfiguration configuration)
    {
        var options = new ScimAuthOptions();
        if (configuration[AppSettingNames.TokenCacheLifetime] is { Length: > 0 } lifetime)
        {
            if (!TimeSpan.TryParse(lifetime, CultureInfo.InvariantCulture, out var parsed) || parsed <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"{AppSettingNames.TokenCacheLifetime} must be a positive TimeSpan such as 00:05:00.");
            }
            options.TokenCacheLifetime = parsed;
        }
        if (configuration[AppSettingNames.PublicBaseUrl] is { Length: > 0 } publicBaseUrl)
        {
            if (!Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                throw new InvalidOperationException($"{AppSettingNames.PublicBaseUrl} must be an absolute http(s) URL.");
            }
            options.PublicBaseUrl = publicBaseUrl.TrimEnd('/');
        }
        return options;
    }

    private static SecretClient CreateSecretClient(Uri vault, IConfiguration configuration)
    {
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = configuration[AppSettingNames.AzureClientId],
        });
        var clientOptions = new SecretClientOptions();
        // A SCIM request waits on this read: fail fast and let the IdP retry on 503 rather than hang.
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return new SecretClient(vault, credential, clientOptions);
    }
}
