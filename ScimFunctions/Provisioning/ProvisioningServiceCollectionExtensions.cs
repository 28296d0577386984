using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScimFunctions.Provisioning;

public static class ProvisioningServiceCollectionExtensions
{
    /// <summary>The SCIM use cases, one class per verb, each a singleton.</summary>
    private static readonly Type[] UseCases =
    [
        typeof(GetResourceQuery), typeof(ListResourcesQuery),
        typeof(CreateUserCommand), typeof(ReplaceUserCommand), typeof(PatchUserCommand), typeof(DeleteUserCommand),
        typeof(CreateGroupCommand), typeof(ReplaceGroupCommand), typeof(PatchGroupCommand), typeof(DeleteGroupCommand),
        typeof(Search.RootSearchQuery), typeof(Bulk.BulkCommand),
    ];

    /// <summary>The SCIM use cases over the storage port <see cref="Ports.IDirectoryResources"/> (registered by
    /// storage). Role recompute signals are whatever <see cref="Roles.IRoleRecomputeSignal"/> implementations are
    /// registered (none is fine).</summary>
    public static IServiceCollection AddScimProvisioning(this IServiceCollection services)
    {
        services.TryAddSingleton(new ListPageOptions());
        services.AddSingleton<RoleSignals>();
        services.AddSingleton<ResourceRenderer>();
        foreach (var useCase in UseCases) services.AddSingleton(useCase);
        return services;
    }
}
