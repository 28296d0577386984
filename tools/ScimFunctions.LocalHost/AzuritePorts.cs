using System.Net;
using System.Net.Sockets;

namespace ScimFunctions.LocalHost;

/// <summary>The three loopback ports Azurite listens on, and the connection string that reaches them.</summary>
public sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>The ports of <c>UseDevelopmentStorage=true</c>.</summary>
    public static AzuritePorts Default { get; } = new(10000, 10001, 10002);

    public IReadOnlyList<int> All => [Blob, Queue, Table];

    /// <summary>Three ports nothing listens on right now (the system picks them), for a private Azurite.</summary>
    public static AzuritePorts FindFree()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
            return new AzuritePorts(ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }

    /// <summary>The well-known Azurite development account (public, emulator only) on these ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{Blob}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{Queue}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{Table}/devstoreaccount1;";

    public override string ToString() => $"127.0.0.1 ports {Blob} (blob), {Queue} (queue), {Table} (table)";
}
