using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

public static class RoleServiceCollectionExtensions
{
    /// <summary>Roles, their recompute (queue sender, signal, recomputer, dispatcher, sweep) and health, over the
    /// <see cref="ScimDataTable"/> (registered here with the storage if nobody did) and the app's <see cref="QueueServiceClient"/>.</summary>
    public static IServiceCollection AddScimRoles(this IServiceCollection services, IConfiguration configuration, Action<RoleOptions>? configure = null)
    {
        var options = new RoleOptions();
        configure?.Invoke(options);
        services.AddScimStorage(configuration);
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScimDataTable>();
        services.TryAddSingleton(options);
        services.TryAddSingleton<RoleStore>();
        services.TryAddSingleton<IRoleMapReader>(provider => provider.GetRequiredService<RoleStore>());
        services.TryAddSingleton<RecomputeOutboxStore>();
        services.TryAddSingleton<RoleHealthStore>();
        services.TryAddSingleton<IRoleRecomputeStore, RoleRecomputeStore>();
        services.TryAddSingleton<RoleRecomputeQueue>();
        services.TryAddSingleton<QueueRoleRecomputeSignal>();
        services.TryAddSingleton<IRoleRecomputeSignal>(provider => provider.GetRequiredService<QueueRoleRecomputeSignal>());
        services.TryAddSingleton<IRoleRecomputer, RoleRecomputer>();
        services.TryAddSingleton<RecomputeDispatcher>();
        services.TryAddSingleton<OutboxSweeper>();
        services.TryAddSingleton<RoleHealth>();
        services.TryAddSingleton<RoleService>();
        return services;
    }
}
