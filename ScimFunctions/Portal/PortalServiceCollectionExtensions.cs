using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimFunctions.Storage;

namespace ScimFunctions.Portal;

public static class PortalServiceCollectionExtensions
{
    /// <summary>Portal links and sessions, with <see cref="PortalOptions"/> bound from the <c>Portal</c> section
    /// and validated at start-up.</summary>
    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>()
            .Bind(configuration.GetSection(PortalOptions.SectionName))
            .Validate(options => !string.IsNullOrWhiteSpace(options.TableName) && options.TableName.All(char.IsAsciiLetterOrDigit),
                $"{nameof(PortalOptions.TableName)} must be a table name (letters and digits).")
            .Validate(options => options.SessionLifetime > TimeSpan.Zero && options.SessionRefreshInterval >= TimeSpan.Zero
                    && options.SessionRefreshInterval < options.SessionLifetime,
                $"{nameof(PortalOptions.SessionLifetime)} must be positive and longer than {nameof(PortalOptions.SessionRefreshInterval)}.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<PortalOptions>>().Value);
        services.TryAddSingleton(provider => new PortalStore(
            new EnsuredTable(provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<PortalOptions>().TableName)));
        services.TryAddSingleton<PortalService>();
        return services;
    }
}
