using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScimFunctions.Auth;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Functions.Http;
using ScimFunctions.Provisioning;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions;

public static class ServiceCollectionExtensions
{
    /// <summary>The one composition root: the Functions host, the local host and the tests all call this.</summary>
    public static IServiceCollection AddScimFunctions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => StorageClients.CreateTableServiceClient(configuration, WithQuickRetries(new TableClientOptions())));
        services.AddSingleton(_ => StorageClients.CreateQueueServiceClient(configuration, WithQuickRetries(new QueueClientOptions())));
        services.AddScimStorage(configuration);
        services.AddScimAuth(configuration, environment);
        services.AddScimProvisioning();
        services.AddScimRoles(configuration);
        services.AddChangeFeed(configuration);
        services.AddSingleton<ScimEndpoint>();
        services.AddSingleton<ResourceRequests>();
        return services;
    }

    /// <summary>An IdP waits on every SCIM call: retry storage briefly rather than the SDK's default minutes.</summary>
    private static T WithQuickRetries<T>(T options) where T : ClientOptions
    {
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
        return options;
    }
}
