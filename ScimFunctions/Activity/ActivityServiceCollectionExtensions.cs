using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimFunctions.Storage;

using ScimFunctions.Directories;

namespace ScimFunctions.Activity;

public static class ActivityServiceCollectionExtensions
{
    /// <summary>
    /// The request log, connection status and token last use: the buffer requests write to, the background
    /// writer (a hosted service), the store and the retention run, with <see cref="ActivityOptions"/> bound from
    /// the <c>Activity</c> section and validated at start-up. Needs the directory and token stores
    /// (<c>AddScimDirectories</c>, <c>AddScimAuth</c>).
    /// </summary>
    public static IServiceCollection AddActivity(this IServiceCollection services, IConfiguration configuration, Action<ActivityOptions>? configure = null)
    {
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(ActivityBuffer))) Register(services, configuration);
        if (configure is not null) services.Configure(configure);
        return services;
    }

    private static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ActivityOptions>()
            .Bind(configuration.GetSection(ActivityOptions.SectionName))
            .Validate(options => !string.IsNullOrWhiteSpace(options.TableName) && options.TableName.All(char.IsAsciiLetterOrDigit),
                $"{nameof(ActivityOptions.TableName)} must be a table name (letters and digits).")
            .Validate(options => options.RetentionDays is > 0 and <= 3650, $"{nameof(ActivityOptions.RetentionDays)} must be between 1 and 3650.")
            .Validate(options => options.BufferCapacity > 0, $"{nameof(ActivityOptions.BufferCapacity)} must be positive.")
            .Validate(options => options.FlushInterval > TimeSpan.Zero && options.FlushInterval <= TimeSpan.FromMinutes(1),
                $"{nameof(ActivityOptions.FlushInterval)} must be between 0 and 1 minute.")
            .Validate(options => options.RetentionDeletesPerRun > 0, $"{nameof(ActivityOptions.RetentionDeletesPerRun)} must be positive.")
            .Validate(options => options.TokenLastUsedInterval >= TimeSpan.Zero, $"{nameof(ActivityOptions.TokenLastUsedInterval)} must not be negative.")
            .Validate(options => options.StatusWindow > 0 && options.StatusWindowAge > TimeSpan.Zero,
                $"{nameof(ActivityOptions.StatusWindow)} and {nameof(ActivityOptions.StatusWindowAge)} must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<ActivityOptions>>().Value);
        services.TryAddSingleton<ActivityBuffer>();
        services.TryAddSingleton(provider => new ActivityStore(
            new EnsuredTable(provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<ActivityOptions>().TableName)));
        services.TryAddSingleton<ActivityWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<ActivityWriter>());
        services.TryAddSingleton<ActivityRetention>();
        // A purged directory's log goes with it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectoryDataPurge, ActivityPurge>());
    }
}
