using System.Net;
using System.Net.Sockets;

namespace ScimFunctions.Webhooks;

/// <summary>
/// The HTTP client deliveries use. Its connections are opened by <see cref="ConnectAsync"/>, which resolves the
/// host itself, keeps only the addresses <see cref="WebhookTargetPolicy"/> permits and connects to one of those,
/// so the address checked is the address used. No redirects (a 3xx is a failed delivery, not a hop to an
/// unchecked place), no proxy, and pooled connections are renewed every minute so a changed DNS answer is
/// checked again.
/// </summary>
public sealed class WebhookTransport : IDisposable
{
    private readonly WebhookTargetPolicy policy;

    public WebhookTransport(WebhookTargetPolicy policy, WebhookOptions options)
    {
        this.policy = policy;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = options.RequestTimeout,
            ConnectCallback = ConnectAsync,
        };
        Client = new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    public HttpClient Client { get; }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await policy.PermittedAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException failure)
            {
                socket.Dispose();
                last = failure;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostUnreachable);
    }

    public void Dispose() => Client.Dispose();
}
