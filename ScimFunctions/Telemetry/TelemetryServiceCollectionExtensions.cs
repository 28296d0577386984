using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ScimFunctions.Configuration;

namespace ScimFunctions.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Traces from the app and the Azure SDK, URLs redacted. Exported to Application Insights only when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (Azure), signed in with the app's managed identity
    /// because the resource has local authentication off; a local run exports nothing unless so configured.
    /// </summary>
    public static IServiceCollection AddScimTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        AppContext.SetSwitch(ScimTelemetry.AzureActivitySourceSwitch, true);
        var telemetry = services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(ScimTelemetry.SourceName)
            .AddSource([.. ScimTelemetry.AzureSdkSources])
            .AddProcessor(new DependencySpanRedaction()));

        var connectionString = configuration.GetAppSetting(AppSettingNames.ApplicationInsightsConnectionString);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            telemetry.UseAzureMonitorExporter();
            // A null name configures every named instance, whichever name the exporter reads its options under.
            services.AddSingleton<IConfigureOptions<AzureMonitorExporterOptions>>(provider =>
                new ConfigureNamedOptions<AzureMonitorExporterOptions>(null, options =>
                {
                    options.ConnectionString = connectionString;
                    options.Credential = provider.GetRequiredService<TokenCredential>();
                }));
        }
        return services;
    }
}
