namespace ScimFunctions.LocalHost;

/// <summary>Where a storage connection string points: the table, queue and blob addresses, read without the
/// Azure SDK so the run command can check them (and start Azurite there) before the app starts.</summary>
public sealed record StorageEndpoints(Uri Blob, Uri Queue, Uri Table)
{
    public static StorageEndpoints Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var isDevelopment) && isDevelopment)
        {
            return FromPorts(AzuritePorts.Default);
        }
        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
        var account = parts.GetValueOrDefault("AccountName") ?? "";
        var suffix = parts.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net";
        Uri Endpoint(string service) => parts.TryGetValue(service + "Endpoint", out var explicitEndpoint) && Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var uri)
            ? uri
            : new Uri($"{protocol}://{account}.{service.ToLowerInvariant()}.{suffix}/");
        return new StorageEndpoints(Endpoint("Blob"), Endpoint("Queue"), Endpoint("Table"));
    }

    public static StorageEndpoints FromPorts(AzuritePorts ports) => new(
        new Uri($"http://127.0.0.1:{ports.Blob}/devstoreaccount1"),
        new Uri($"http://127.0.0.1:{ports.Queue}/devstoreaccount1"),
        new Uri($"http://127.0.0.1:{ports.Table}/devstoreaccount1"));

    public IReadOnlyList<Uri> All => [Blob, Queue, Table];

    /// <summary>The ports, when all three endpoints are on this machine (where Azurite can be started).</summary>
    public AzuritePorts? LocalPorts => All.All(uri => uri.IsLoopback) ? new AzuritePorts(Blob.Port, Queue.Port, Table.Port) : null;

    /// <summary>The first endpoint nothing answers on, if any.</summary>
    public Uri? FirstUnreachable() => All.FirstOrDefault(uri => !TcpProbe.IsListening(uri.Host, uri.Port, TimeSpan.FromSeconds(3)));
}
