using System.Collections.Concurrent;
using ScimFunctions.Storage;

namespace ScimFunctions.Webhooks;

/// <summary>The HMAC keys an endpoint signs with now, read from the secret store once per secret version and
/// kept in memory (a version's secret never changes; a rotation makes a new version).</summary>
public sealed class WebhookSigningKeys(IWebhookSecretStore secrets)
{
    private readonly ConcurrentDictionary<string, byte[]> cache = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<byte[]>> ForAsync(WebhookEndpoint endpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = new List<byte[]>();
        foreach (var version in endpoint.SigningVersions(now))
        {
            var name = PartitionLayout.WebhookSecretName(endpoint.Id, version);
            if (!cache.TryGetValue(name, out var key))
            {
                var secret = await secrets.FindAsync(name, cancellationToken);
                if (secret is null) continue;
                cache[name] = key = WebhookSecret.KeyOf(secret);
            }
            keys.Add(key);
        }
        return keys.Count > 0 ? keys : throw new InvalidOperationException("The endpoint has no signing secret.");
    }
}
