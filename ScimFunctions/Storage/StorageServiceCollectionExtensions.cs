using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScimFunctions.Provisioning.Ports;

namespace ScimFunctions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ScimStore"/> (singleton) over the app's one <see cref="TableServiceClient"/>.</summary>
    public static IServiceCollection AddScimStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(new ScimStorageOptions());
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScimDataTable>();
        services.TryAddSingleton(provider => new ScimStore(
            provider.GetRequiredService<ScimDataTable>(), provider.GetRequiredService<ScimStorageOptions>(), provider.GetRequiredService<TimeProvider>()));
        // The use cases' port onto storage is the same store.
        services.TryAddSingleton<IDirectoryResources>(provider => provider.GetRequiredService<ScimStore>());
        return services;
    }
}
