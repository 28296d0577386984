using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

public static class RoleServiceCollectionExtensions
{
    /// <summary>Roles, their recompute (queue sender, signal, recomputer, dispatcher, sweep) and health, over the
    /// <see cref="ScimDataTable"/> (registered here with the storage if nobody did) and the app's <see cref="QueueServiceClient"/>.</summary>
    public static IServiceCollection AddScimRoles(this IServiceCollection services, IConfiguration configuration, Action<RoleOptions>? configure = null)
    {
        services.AddOptions<RoleOptions>()
            .Bind(configuration.GetSection(RoleOptions.Section))
            .Validate(o => o.SweepAge > TimeSpan.Zero, $"{RoleOptions.Section}:{nameof(RoleOptions.SweepAge)} must be positive.")
            .Validate(o => o.MaxParallelUsers > 0, $"{RoleOptions.Section}:{nameof(RoleOptions.MaxParallelUsers)} must be positive.")
            .Validate(o => o.FanOutPageSize is > 0 and <= 1000, $"{RoleOptions.Section}:{nameof(RoleOptions.FanOutPageSize)} must be 1 to 1000 (one storage page).")
            .Validate(o => o.MaxDequeueCount > 0, $"{RoleOptions.Section}:{nameof(RoleOptions.MaxDequeueCount)} must be positive.")
            .Validate(o => o.WaiverConfigurationLifetime < o.MembershipWaiverWindow,
                $"{RoleOptions.Section}:{nameof(RoleOptions.WaiverConfigurationLifetime)} must be shorter than {nameof(RoleOptions.MembershipWaiverWindow)}.")
            .Validate(o => o.FanOutSettle >= o.MembershipWaiverWindow + RoleOptions.LongestTransaction + TimeSpan.FromSeconds(10),
                $"{RoleOptions.Section}:{nameof(RoleOptions.FanOutSettle)} must exceed {nameof(RoleOptions.MembershipWaiverWindow)} by at least 40 s (a transaction's longest run and clock skew).")
            .ValidateOnStart();
        if (configure is not null) services.Configure(configure);
        services.AddScimStorage(configuration);
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScimDataTable>();
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<RoleOptions>>().Value);
        services.TryAddSingleton<RoleStore>();
        services.TryAddSingleton<IRoleMapReader>(provider => provider.GetRequiredService<RoleStore>());
        services.TryAddSingleton<RecomputeOutboxStore>();
        services.TryAddSingleton<ChangeLogStore>();
        services.TryAddSingleton<RoleHealthStore>();
        services.TryAddSingleton<IRoleRecomputeStore, RoleRecomputeStore>();
        services.TryAddSingleton<RoleRecomputeQueue>();
        services.TryAddSingleton<MembershipWaivers>();
        services.TryAddSingleton<QueueRoleRecomputeSignal>();
        services.TryAddSingleton<IRoleRecomputeSignal>(provider => provider.GetRequiredService<QueueRoleRecomputeSignal>());
        services.TryAddSingleton<IRoleRecomputer, RoleRecomputer>();
        services.TryAddSingleton<RecomputeDispatcher>();
        services.TryAddSingleton<OutboxSweeper>();
        services.TryAddSingleton<RoleHealth>();
        services.TryAddSingleton<RoleService>();
        services.TryAddSingleton<RolePreviewer>();
        return services;
    }
}
