using Microsoft.Extensions.Logging;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimFunctions.Provisioning.Ports;

namespace ScimFunctions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ScimStore"/> and <see cref="DirectoryCounts"/> (singletons) over the app's one <see cref="TableServiceClient"/>.</summary>
    public static IServiceCollection AddScimStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScimStorageOptions>()
            .Bind(configuration.GetSection(ScimStorageOptions.Section))
            .Validate(o => ScimStorageOptions.IsValidTableName(o.TableName), $"{ScimStorageOptions.Section}:{nameof(ScimStorageOptions.TableName)} must be 3-63 letters or digits, starting with a letter.")
            .Validate(o => o.MaxParallelReads > 0 && o.MaxConcurrencyRetries > 0 && o.ListPositionsCapacity > 0,
                $"{ScimStorageOptions.Section}: {nameof(ScimStorageOptions.MaxParallelReads)}, {nameof(ScimStorageOptions.MaxConcurrencyRetries)} and {nameof(ScimStorageOptions.ListPositionsCapacity)} must be positive.")
            .Validate(o => o.ListPositionsLifetime >= TimeSpan.Zero, $"{ScimStorageOptions.Section}:{nameof(ScimStorageOptions.ListPositionsLifetime)} must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<ScimStorageOptions>>().Value);
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScimDataTable>();
        services.TryAddSingleton<DirectoryCounts>();
        services.TryAddSingleton(provider => new ScimStore(
            provider.GetRequiredService<ScimDataTable>(), provider.GetRequiredService<ScimStorageOptions>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<ScimStore>()));
        // The use cases' port onto storage is the same store.
        services.TryAddSingleton<IDirectoryResources>(provider => provider.GetRequiredService<ScimStore>());
        return services;
    }
}
