using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using ScimFunctions.Configuration;

namespace ScimFunctions.Storage;

/// <summary>
/// Builds the Table and Queue service clients from the same settings the Functions host uses for
/// <c>AzureWebJobsStorage</c>: a connection string (Azurite, local runs), or service URIs with a managed
/// identity (Azure, no shared keys).
/// </summary>
public static class StorageClients
{
    /// <summary>Queue messages are Base64, as the Functions queue trigger expects by default (host.json
    /// <c>extensions.queues.messageEncoding</c>); sender and trigger must agree.</summary>
    public const QueueMessageEncoding MessageEncoding = QueueMessageEncoding.Base64;

    /// <param name="credential">The identity for service-URI mode; default: <see cref="CreateCredential"/>.</param>
    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration, TableClientOptions? options = null, Func<TokenCredential>? credential = null)
    {
        options ??= new TableClientOptions();
        AddTransportFailurePolicy(options);
        return Create(configuration, AppSettingNames.StorageTableServiceUri, credential,
            connectionString => new TableServiceClient(connectionString, options),
            (uri, identity) => new TableServiceClient(uri, identity, options));
    }

    /// <param name="encoding">How message bodies are encoded; the app always sends <see cref="MessageEncoding"/>.
    /// Only a host that decodes messages itself (the local host's queue listener) asks for raw bodies.</param>
    /// <param name="credential">The identity for service-URI mode; default: <see cref="CreateCredential"/>.</param>
    public static QueueServiceClient CreateQueueServiceClient(
        IConfiguration configuration, QueueClientOptions? options = null, QueueMessageEncoding encoding = MessageEncoding, Func<TokenCredential>? credential = null)
    {
        options ??= new QueueClientOptions();
        options.MessageEncoding = encoding;
        AddTransportFailurePolicy(options);
        return Create(configuration, AppSettingNames.StorageQueueServiceUri, credential,
            connectionString => new QueueServiceClient(connectionString, options),
            (uri, identity) => new QueueServiceClient(uri, identity, options));
    }

    private static readonly ConditionalWeakTable<ClientOptions, TransportFailurePolicy> WithTransportFailurePolicy = new();

    /// <summary>Every storage client gets <see cref="TransportFailurePolicy"/> once, however often its options are reused.</summary>
    private static void AddTransportFailurePolicy(ClientOptions options)
    {
        if (WithTransportFailurePolicy.TryAdd(options, TransportFailurePolicy.Instance)) options.AddPolicy(TransportFailurePolicy.Instance, HttpPipelinePosition.PerRetry);
    }

    /// <summary>A connection string (Azurite, local runs) wins; otherwise the service URI with the managed identity.</summary>
    private static TClient Create<TClient>(
        IConfiguration configuration, string serviceUriSetting, Func<TokenCredential>? credential,
        Func<string, TClient> fromConnectionString, Func<Uri, TokenCredential, TClient> fromServiceUri)
    {
        var connectionString = configuration.GetAppSetting(AppSettingNames.Storage);
        if (!string.IsNullOrWhiteSpace(connectionString)) return fromConnectionString(connectionString);
        var uri = configuration.GetAppSetting(serviceUriSetting)
            ?? throw new InvalidOperationException($"Set {AppSettingNames.Storage} (a connection string) or {serviceUriSetting}.");
        return fromServiceUri(new Uri(uri), credential?.Invoke() ?? CreateCredential(configuration));
    }

    /// <summary>The managed identity named by <c>AzureWebJobsStorage__clientId</c> (else AZURE_CLIENT_ID).</summary>
    public static TokenCredential CreateCredential(IConfiguration configuration)
    {
        var clientId = configuration.GetAppSetting(AppSettingNames.StorageClientId) ?? configuration.GetAppSetting(AppSettingNames.AzureClientId);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
