using System.Diagnostics;

namespace ScimFunctions.Telemetry;

/// <summary>
/// The app's trace source and the Azure SDK sources it listens to. The SDK's sources describe each Table,
/// Queue and Key Vault call as a dependency span under the request that made it.
/// </summary>
public static class ScimTelemetry
{
    public const string SourceName = "ScimFunctions";

    /// <summary>Client-call spans (<c>TableClient.GetEntity</c> …) and the HTTP spans beneath them.</summary>
    public static readonly IReadOnlyList<string> AzureSdkSources =
    [
        "Azure.Data.Tables.*",
        "Azure.Storage.Queues.*",
        "Azure.Security.KeyVault.Secrets.*",
        "Azure.Core.Http",
    ];

    /// <summary>The Azure SDK publishes its spans through <see cref="ActivitySource"/> only behind this switch.</summary>
    public const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    public static readonly ActivitySource Source = new(SourceName);
}
