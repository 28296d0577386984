using System.Net.Sockets;

namespace ScimFunctions.LocalHost;

/// <summary>Whether something accepts TCP connections on an address: how "is Azurite running?" is answered.</summary>
public static class TcpProbe
{
    public static bool IsListening(string host, int port, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync(host, port).Wait(timeout ?? TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
