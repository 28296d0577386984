using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScimFunctions.Storage;

namespace ScimFunctions.ChangeFeed;

public static class ChangeFeedServiceCollectionExtensions
{
    /// <summary>The change feed: its reader, the change-log store and the pruner, over the <see cref="ScimDataTable"/>.</summary>
    public static IServiceCollection AddChangeFeed(this IServiceCollection services, IConfiguration configuration, Action<ChangeFeedOptions>? configure = null)
    {
        var options = new ChangeFeedOptions();
        configure?.Invoke(options);
        services.AddScimStorage(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScimDataTable>();
        services.TryAddSingleton(options);
        services.TryAddSingleton<ChangeLogStore>();
        services.TryAddSingleton<ChangeFeedReader>();
        services.TryAddSingleton<ChangeLogPruner>();
        return services;
    }
}
