using Microsoft.Extensions.DependencyInjection;

namespace ScimFunctions.Provisioning;

public static class ProvisioningServiceCollectionExtensions
{
    /// <summary>The SCIM use cases, one class per verb. Role recompute signals are whatever
    /// <see cref="Roles.IRoleRecomputeSignal"/> implementations are registered (none is fine).</summary>
    public static IServiceCollection AddScimProvisioning(this IServiceCollection services)
    {
        services.AddSingleton<RoleSignals>();
        services.AddSingleton<ResourceRenderer>();
        services.AddSingleton<GetResourceQuery>();
        services.AddSingleton<ListResourcesQuery>();
        services.AddSingleton<CreateUserCommand>();
        services.AddSingleton<ReplaceUserCommand>();
        services.AddSingleton<PatchUserCommand>();
        services.AddSingleton<DeleteUserCommand>();
        services.AddSingleton<CreateGroupCommand>();
        services.AddSingleton<ReplaceGroupCommand>();
        services.AddSingleton<PatchGroupCommand>();
        services.AddSingleton<DeleteGroupCommand>();
        return services;
    }
}
