using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimFunctions.Configuration;
using ScimFunctions.Storage;

namespace ScimFunctions.Directories;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>
    /// Directories: their store, lifecycle, purge and SCIM base URLs, with <see cref="DirectoryOptions"/> bound
    /// from configuration and validated at start-up. <see cref="DirectoryService"/> and
    /// <see cref="DirectoryPurger"/> also need the token services of <c>AddScimAuth</c>.
    /// </summary>
    public static IServiceCollection AddScimDirectories(this IServiceCollection services, IConfiguration configuration, Action<DirectoryOptions>? configure = null)
    {
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(DirectoryStore))) Register(services, configuration);
        if (configure is not null) services.Configure(configure);
        return services;
    }

    private static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectoryOptions>()
            .Bind(configuration)
            .PostConfigure(options =>
            {
                options.PublicBaseUrl = string.IsNullOrWhiteSpace(options.PublicBaseUrl) ? null : options.PublicBaseUrl.TrimEnd('/');
                options.AllowRequestHost |= string.Equals(configuration[AppSettingNames.FunctionsEnvironment], "Development", StringComparison.OrdinalIgnoreCase);
            })
            .Validate(options => options.PublicBaseUrl is null || IsHttpUrl(options.PublicBaseUrl),
                $"{AppSettingNames.PublicBaseUrl} must be an absolute http(s) URL.")
            .Validate(options => options.PublicBaseUrl is not null || options.AllowRequestHost,
                $"{AppSettingNames.PublicBaseUrl} is required outside Development (infra/app/api.bicep sets it to the app's https://{{defaultHostName}}): " +
                "SCIM base URLs and Location headers are never taken from a request's Host header there.")
            .Validate(options => options.PurgeRowsPerRun > 0, $"{nameof(DirectoryOptions.PurgeRowsPerRun)} must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<DirectoryOptions>>().Value);
        services.TryAddSingleton(provider => new DirectoryStore(
            new EnsuredTable(provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<DirectoryOptions>().DirectoriesTableName),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ScimBaseUrls>();
        services.TryAddSingleton<DirectoryService>();
        services.TryAddSingleton<DirectoryPurger>();
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}
