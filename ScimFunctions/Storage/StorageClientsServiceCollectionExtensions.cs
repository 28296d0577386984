using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScimFunctions.Storage;

public static class StorageClientsServiceCollectionExtensions
{
    /// <summary>
    /// The app's one <see cref="TableServiceClient"/>, one <see cref="QueueServiceClient"/> and one
    /// <see cref="TokenCredential"/> (used only with identity-based storage, and by Key Vault). Every part
    /// that needs them calls this; the first call registers them, later calls change nothing.
    /// </summary>
    public static IServiceCollection AddScimStorageClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => StorageClients.CreateCredential(configuration));
        services.TryAddSingleton(provider => StorageClients.CreateTableServiceClient(
            configuration, Configure(new TableClientOptions(), provider), () => provider.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton(provider => StorageClients.CreateQueueServiceClient(
            configuration, Configure(new QueueClientOptions(), provider), credential: () => provider.GetRequiredService<TokenCredential>()));
        return services;
    }

    /// <summary>An IdP waits on every SCIM call: retry storage briefly rather than the SDK's default minutes.</summary>
    private static T Configure<T>(T options, IServiceProvider provider) where T : ClientOptions
    {
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
        foreach (var added in provider.GetServices<StorageClientPolicy>()) options.AddPolicy(added.Policy, added.Position);
        return options;
    }
}
