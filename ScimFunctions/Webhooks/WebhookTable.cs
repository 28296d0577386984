using Azure.Data.Tables;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>The webhooks table (<see cref="WebhookOptions.TableName"/>), created on first use.</summary>
public sealed class WebhookTable(TableServiceClient service, WebhookOptions options)
{
    private readonly EnsuredTable table = new(service, options.TableName);

    public Task<TableClient> GetAsync(CancellationToken cancellationToken) => table.GetAsync(cancellationToken);
}
