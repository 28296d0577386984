using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScimFunctions.Activity;
using ScimFunctions.Auth;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Activity;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Portal;
using ScimFunctions.Portal;
using ScimFunctions.Provisioning;
using ScimFunctions.Roles;
using ScimFunctions.Storage;
using ScimFunctions.Telemetry;
using ScimFunctions.Webhooks;

namespace ScimFunctions;

public static class ServiceCollectionExtensions
{
    /// <summary>The one composition root: the Functions host, the local host and the tests all call this.</summary>
    public static IServiceCollection AddScimFunctions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddScimTelemetry(configuration);
        services.AddScimStorageClients(configuration);
        services.AddScimStorage(configuration);
        services.AddScimDirectories(configuration);
        services.AddScimAuth(configuration, environment);
        services.AddScimProvisioning();
        services.AddScimRoles(configuration);
        services.AddActivity(configuration);
        services.AddSingleton<ActivityCapture>();
        services.AddSingleton<ActivityRequestLog>();
        services.AddScimHttpEdge();
        services.AddSingleton<PendingDeleteSweeper>();
        services.AddChangeFeed(configuration);
        services.AddWebhooks(configuration, ScimAuthServiceCollectionExtensions.IsDevelopment(configuration, environment));
        services.AddSingleton<ScimEndpoint>();
        services.AddSingleton<ResourceRequests>();
        services.AddPortal(configuration);
        services.AddSingleton<PortalFiles>();
        services.AddSingleton<PortalEndpoint>();
        services.AddSingleton<PortalLinkRequests>();
        return services;
    }
}
