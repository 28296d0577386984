using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimFunctions.Storage;

namespace ScimFunctions.ChangeFeed;

public static class ChangeFeedServiceCollectionExtensions
{
    /// <summary>The change feed: its reader, the change-log store and the pruner, over the <see cref="ScimDataTable"/>.</summary>
    public static IServiceCollection AddChangeFeed(this IServiceCollection services, IConfiguration configuration, Action<ChangeFeedOptions>? configure = null)
    {
        services.AddOptions<ChangeFeedOptions>()
            .Bind(configuration.GetSection(ChangeFeedOptions.Section))
            .Validate(o => o.SettleWindow >= TimeSpan.Zero, $"{ChangeFeedOptions.Section}:{nameof(ChangeFeedOptions.SettleWindow)} must not be negative.")
            .Validate(o => o.Retention > o.SettleWindow, $"{ChangeFeedOptions.Section}:{nameof(ChangeFeedOptions.Retention)} must be longer than the settle window.")
            .ValidateOnStart();
        if (configure is not null) services.Configure(configure);
        services.AddScimStorage(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScimDataTable>();
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<ChangeFeedOptions>>().Value);
        services.TryAddSingleton<ChangeLogStore>();
        services.TryAddSingleton<ChangeFeedReader>();
        services.TryAddSingleton<ChangeLogPruner>();
        return services;
    }
}
