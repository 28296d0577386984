using System.Net;

namespace ScimFunctions.Webhooks;

/// <summary>
/// Where deliveries may go. Outside Development: <c>https</c> only, and never to an address
/// <see cref="WebhookAddressRules"/> forbids. In Development, plain <c>http</c> is allowed to loopback (a
/// receiver on the developer's machine) and any address is allowed. The same check runs when an endpoint is
/// saved and on every connection (<see cref="WebhookTransport"/>), so a name that later resolves elsewhere
/// (DNS rebinding) reaches nothing it may not.
/// </summary>
public sealed class WebhookTargetPolicy(bool development, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve = resolve ?? ((host, token) => Dns.GetHostAddressesAsync(host, token));

    public bool Development => development;

    /// <summary>The URL, if it is one deliveries may go to: syntax, scheme and every address its host resolves to.</summary>
    /// <exception cref="WebhookTargetRefusedException">it is not</exception>
    public async Task<Uri> CheckUrlAsync(string url, CancellationToken cancellationToken)
    {
        if (url.Length > WebhookEndpoint.MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new WebhookTargetRefusedException($"'url' must be an absolute URL of at most {WebhookEndpoint.MaxUrlLength} characters.");
        }
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0) throw new WebhookTargetRefusedException("'url' must not carry user information or a fragment.");
        var loopbackName = uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        if (uri.Scheme == Uri.UriSchemeHttp && !(development && loopbackName))
        {
            throw new WebhookTargetRefusedException(development ? "'url' must be https (http only to loopback in Development)." : "'url' must be https.");
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) throw new WebhookTargetRefusedException("'url' must be https.");
        if (!development && loopbackName) throw new WebhookTargetRefusedException("'url' must not point at this machine.");
        var addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        if (!development && addresses.Any(WebhookAddressRules.IsForbidden))
        {
            throw new WebhookTargetRefusedException("'url' resolves to a loopback, private, link-local or reserved address.");
        }
        return uri;
    }

    /// <summary>The addresses of <paramref name="host"/> a connection may use, in the resolver's order.</summary>
    /// <exception cref="WebhookTargetRefusedException">none</exception>
    public async Task<IPAddress[]> PermittedAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, cancellationToken);
        var permitted = development ? addresses : addresses.Where(a => !WebhookAddressRules.IsForbidden(a)).ToArray();
        return permitted.Length > 0
            ? permitted
            : throw new WebhookTargetRefusedException("The endpoint's host resolves to no address deliveries may go to.");
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        try
        {
            var addresses = await resolve(host, cancellationToken);
            return addresses.Length > 0 ? addresses : throw new WebhookTargetRefusedException("The endpoint's host does not resolve.");
        }
        catch (System.Net.Sockets.SocketException)
        {
            throw new WebhookTargetRefusedException("The endpoint's host does not resolve.");
        }
    }
}
