using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ScimFunctions;

public static class ServiceCollectionExtensions
{
    /// <summary>The one composition root: the Functions host, the local host and the tests all call this.</summary>
    public static IServiceCollection AddScimFunctions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        return services;
    }
}
