using Microsoft.Extensions.Configuration;

namespace ScimFunctions.Configuration;

/// <summary>
/// Every application setting the app reads, in one place. The infra tests check that each one is set by
/// the Bicep (or documented with a default) and appears in local.settings.sample.json; read settings only
/// through these names.
/// </summary>
public static class AppSettingNames
{
    /// <summary>Storage for the Functions host and for the app's tables and queues: a connection string
    /// locally, or identity-based (<c>AzureWebJobsStorage__tableServiceUri</c> and friends) in Azure.</summary>
    public const string Storage = "AzureWebJobsStorage";

    public const string StorageTableServiceUri = "AzureWebJobsStorage__tableServiceUri";
    public const string StorageQueueServiceUri = "AzureWebJobsStorage__queueServiceUri";
    public const string StorageBlobServiceUri = "AzureWebJobsStorage__blobServiceUri";
    public const string StorageCredential = "AzureWebJobsStorage__credential";
    public const string StorageClientId = "AzureWebJobsStorage__clientId";

    /// <summary>Client id of the user-assigned managed identity; read by DefaultAzureCredential.</summary>
    public const string AzureClientId = "AZURE_CLIENT_ID";

    /// <summary>URI of the Key Vault that holds bearer-token hashes. Required outside Development.</summary>
    public const string KeyVaultUri = "KeyVaultUri";

    /// <summary>How long a token hash read from Key Vault is trusted (TimeSpan, default 00:05:00); also
    /// the longest a revoked token keeps working.</summary>
    public const string TokenCacheLifetime = "TokenCacheLifetime";

    /// <summary>Optional public scheme and host (e.g. https://scim.example.com) for the SCIM base URLs shown
    /// to admins; when unset they are built from the request's scheme and host.</summary>
    public const string PublicBaseUrl = "ScimPublicBaseUrl";

    /// <summary>Application Insights, set by the Bicep in Azure; when unset (local runs) no telemetry is exported.</summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Environment name; "Development" allows the Azurite-backed token-hash store.</summary>
    public const string FunctionsEnvironment = "AZURE_FUNCTIONS_ENVIRONMENT";
}
