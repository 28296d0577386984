using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimFunctions.Activity;
using ScimFunctions.Auth;
using ScimFunctions.ChangeFeed;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Webhook endpoints, delivery (prompter, queue, dispatcher, deliverer, sweep) and the secret store
    /// (Key Vault when the token hashes are there, else the Development table), with <see cref="WebhookOptions"/>
    /// bound from the <c>Webhooks</c> section and validated at start-up.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration, bool development, Action<WebhookOptions>? configure = null)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.TableName) && o.TableName.All(char.IsAsciiLetterOrDigit), $"{WebhookOptions.Section}:{nameof(WebhookOptions.TableName)} must be a table name.")
            .Validate(o => o.SettleWindow >= TimeSpan.Zero && o.SettleWindow < WebhookOptions.MaxQueueDelay, $"{WebhookOptions.Section}:{nameof(WebhookOptions.SettleWindow)} must be 0 to 7 days.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero && o.RequestTimeout <= TimeSpan.FromMinutes(1), $"{WebhookOptions.Section}:{nameof(WebhookOptions.RequestTimeout)} must be up to 1 minute.")
            .Validate(o => o.BaseRetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.BaseRetryDelay && o.MaxRetryDelay < WebhookOptions.MaxQueueDelay,
                $"{WebhookOptions.Section}: retry delays must be positive, the maximum at least the base and below 7 days (the queue's longest delay).")
            .Validate(o => o.MaxRetryAge > TimeSpan.Zero, $"{WebhookOptions.Section}:{nameof(WebhookOptions.MaxRetryAge)} must be positive.")
            .Validate(o => o.BatchSize is > 0 and <= 1000, $"{WebhookOptions.Section}:{nameof(WebhookOptions.BatchSize)} must be 1 to 1000.")
            .Validate(o => o.LeaseDuration > o.RequestTimeout, $"{WebhookOptions.Section}:{nameof(WebhookOptions.LeaseDuration)} must exceed the request timeout.")
            .Validate(o => o.DefaultSecretOverlap >= TimeSpan.Zero, $"{WebhookOptions.Section}:{nameof(WebhookOptions.DefaultSecretOverlap)} must not be negative.")
            .Validate(o => o.LogRetentionDays is > 0 and <= 3650, $"{WebhookOptions.Section}:{nameof(WebhookOptions.LogRetentionDays)} must be 1 to 3650.")
            .Validate(o => o.LateCommitMargin >= TimeSpan.Zero && o.LateCommitMargin < o.SettleWindow && o.LateCommitWindow > o.SettleWindow,
                $"{WebhookOptions.Section}: the late-commit margin must be below the settle window, and the late-commit window above it.")
            .Validate(o => o.PromptInterval > TimeSpan.Zero, $"{WebhookOptions.Section}:{nameof(WebhookOptions.PromptInterval)} must be positive.")
            .ValidateOnStart();
        if (configure is not null) services.Configure(configure);
        services.AddScimStorageClients(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<WebhookOptions>>().Value);
        services.TryAddSingleton<WebhookTable>();
        services.TryAddSingleton<WebhookStore>();
        services.TryAddSingleton<WebhookDeliveryLog>();
        services.TryAddSingleton(new WebhookTargetPolicy(development));
        services.TryAddSingleton<WebhookTransport>();
        services.TryAddSingleton<WebhookQueue>();
        services.TryAddSingleton<WebhookSigningKeys>();
        services.TryAddSingleton<ChangeLogStore>();
        services.TryAddSingleton<WebhookEventBuilder>();
        services.TryAddSingleton<WebhookDeliverer>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.TryAddSingleton<WebhookSweeper>();
        services.TryAddSingleton<WebhookService>();
        services.TryAddSingleton<WebhookResender>();
        services.TryAddSingleton<IConnectionEventLog, ChangeLogConnectionEvents>();
        services.TryAddSingleton<WebhookPrompter>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookPrompter>());
        services.TryAddSingleton<IWebhookSecretStore>(provider => provider.GetService<SecretClient>() is { } vault
            ? new KeyVaultWebhookSecretStore(vault)
            : new DevelopmentWebhookSecretStore(new EnsuredTable(provider.GetRequiredService<TableServiceClient>(),
                provider.GetRequiredService<ScimAuthOptions>().DevelopmentTokenHashesTableName)));
        return services;
    }
}
