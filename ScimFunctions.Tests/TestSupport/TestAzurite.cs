using ScimFunctions.LocalHost;

namespace ScimFunctions.Tests.TestSupport;

/// <summary>
/// The Azurite a plain <c>dotnet test</c> runs against: started in memory on free ports the first time a test
/// needs storage (installed from npm first if missing), shared by every test of the process, and stopped when
/// the test process exits (its launcher also stops it if this process dies without saying so).
/// </summary>
public static class TestAzurite
{
    private static readonly Lazy<AzuriteProcess> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ConnectionString => Shared.Value.ConnectionString;

    /// <summary>
    /// An Azurite of its own, for a fixture that runs the background work itself: on the shared one, other hosts'
    /// queue listeners take its recompute messages and finish them on their own schedule. The caller stops it.
    /// </summary>
    public static AzuriteProcess StartPrivate()
    {
        var root = AzuriteInstallation.FindRepositoryRoot()
            ?? throw new InvalidOperationException("No package.json pinning Azurite was found to start one (the shared one can be given by SCIM_TEST_STORAGE instead).");
        return AzuriteProcess.Start(AzuriteInstallation.EnsureInstalled(root, Console.Out), AzuritePorts.FindFree());
    }

    private static AzuriteProcess Start()
    {
        var azurite = StartPrivate();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Stop();
        return azurite;
    }
}
