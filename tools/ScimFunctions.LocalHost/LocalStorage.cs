namespace ScimFunctions.LocalHost;

/// <summary>
/// The run command's storage: when nothing answers where the settings point and that is this machine,
/// Azurite is installed if needed and started there (data kept in .azurite/ of the repository); anywhere
/// else, the command stops with one line naming the address it tried.
/// </summary>
public static class LocalStorage
{
    public const string DataFolderName = ".azurite";

    /// <summary>The Azurite it started, or null when storage already answers.</summary>
    public static AzuriteProcess? EnsureReachable(string connectionString, string? repositoryRoot, TextWriter output)
    {
        var endpoints = StorageEndpoints.Parse(connectionString);
        var unreachable = endpoints.FirstUnreachable();
        if (unreachable is null)
        {
            output.WriteLine($"Storage answers at {endpoints.Table.GetLeftPart(UriPartial.Authority)}; using it.");
            return null;
        }

        var ports = endpoints.LocalPorts
            ?? throw new StorageUnreachableException($"Storage is not reachable at {unreachable.GetLeftPart(UriPartial.Authority)} (AzureWebJobsStorage); check the setting and the network.");
        if (ports.All.Any(port => TcpProbe.IsListening("127.0.0.1", port)))
        {
            throw new StorageUnreachableException($"Storage is not reachable at {unreachable.GetLeftPart(UriPartial.Authority)}, yet something answers on the other ports of {ports}; stop it or change AzureWebJobsStorage.");
        }
        if (repositoryRoot is null)
        {
            throw new StorageUnreachableException($"Storage is not reachable at {unreachable.GetLeftPart(UriPartial.Authority)}, and no package.json pinning Azurite was found to start it; start Azurite there.");
        }

        try
        {
            var entryPoint = AzuriteInstallation.EnsureInstalled(repositoryRoot, output);
            var dataFolder = Path.Combine(repositoryRoot, DataFolderName);
            var azurite = AzuriteProcess.Start(entryPoint, ports, dataFolder, Path.Combine(dataFolder, "azurite.log"));
            output.WriteLine($"Azurite started (pid {azurite.ProcessId}, {ports}, data in {DataFolderName}/).");
            return azurite;
        }
        catch (AzuriteException e)
        {
            throw new StorageUnreachableException($"Storage is not reachable at {unreachable.GetLeftPart(UriPartial.Authority)} and Azurite could not be started: {e.Message}");
        }
    }
}
