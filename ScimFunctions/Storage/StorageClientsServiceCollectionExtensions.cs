using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ScimFunctions.Storage;

public static class StorageClientsServiceCollectionExtensions
{
    /// <summary>
    /// The app's one <see cref="TableServiceClient"/>, one <see cref="QueueServiceClient"/> and one
    /// <see cref="TokenCredential"/> (used only with identity-based storage, by Key Vault and by the telemetry
    /// exporter), registered through <c>Microsoft.Extensions.Azure</c>. Every part that needs them calls this;
    /// the first call registers them, later calls change nothing.
    /// </summary>
    public static IServiceCollection AddScimStorageClients(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(service => service.ServiceType == typeof(IAzureClientFactory<TableServiceClient>))) return services;
        services.TryAddSingleton(_ => StorageClients.CreateCredential(configuration));
        // AddAzureClients forwards the SDK's event-source log to ILogger; at Information that is a line per
        // storage call, naming the row key (a folded userName). Only warnings and errors are kept: settings may
        // raise the level (Logging:LogLevel:Azure.Core = Error quiets a test log), never lower it below Warning.
        services.AddLogging();
        services.PostConfigure<LoggerFilterOptions>(filters =>
        {
            foreach (var category in (string[])["Azure.Core", "Azure.Identity"])
            {
                var named = filters.Rules.Where(rule => rule.CategoryName == category).ToList();
                foreach (var rule in named.Where(rule => rule.LogLevel is null or < LogLevel.Warning))
                {
                    filters.Rules[filters.Rules.IndexOf(rule)] = new LoggerFilterRule(rule.ProviderName, category, LogLevel.Warning, rule.Filter);
                }
                if (named.Count == 0) filters.Rules.Add(new LoggerFilterRule(providerName: null, category, LogLevel.Warning, filter: null));
            }
        });
        services.AddAzureClients(clients =>
        {
            // One credential for every Azure client (storage in service-URI mode, Key Vault, telemetry).
            clients.UseCredential(provider => provider.GetRequiredService<TokenCredential>());
            clients.AddClient<TableServiceClient, TableClientOptions>((options, credential, provider) =>
                StorageClients.CreateTableServiceClient(configuration, Configure(options, provider), () => credential));
            clients.AddClient<QueueServiceClient, QueueClientOptions>((options, credential, provider) =>
                StorageClients.CreateQueueServiceClient(configuration, Configure(options, provider), credential: () => credential));
        });
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
