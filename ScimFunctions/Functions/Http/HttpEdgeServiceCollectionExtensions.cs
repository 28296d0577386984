using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScimFunctions.Functions.Http;

public static class HttpEdgeServiceCollectionExtensions
{
    /// <summary>The HTTP edge every function answers through (<see cref="HttpEdge"/>).</summary>
    public static IServiceCollection AddScimHttpEdge(this IServiceCollection services)
    {
        services.TryAddSingleton<HttpEdge>();
        return services;
    }
}
