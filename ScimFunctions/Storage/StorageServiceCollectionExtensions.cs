using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScimFunctions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ScimStore"/> (singleton) over the app's one <see cref="TableServiceClient"/>.</summary>
    public static IServiceCollection AddScimStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(new ScimStorageOptions());
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(provider => new ScimStore(
            provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<ScimStorageOptions>()));
        return services;
    }
}
