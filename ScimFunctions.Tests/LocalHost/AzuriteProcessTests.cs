using System.Diagnostics;
using ScimFunctions.LocalHost;

namespace ScimFunctions.Tests.LocalHost;

public sealed class AzuriteProcessTests
{
    [Fact]
    public void Started_Azurite_answers_on_its_three_ports_and_stopping_it_ends_the_process_and_frees_them()
    {
        var root = AzuriteInstallation.FindRepositoryRoot();
        Assert.NotNull(root);
        var ports = AzuritePorts.FindFree();

        var azurite = AzuriteProcess.Start(AzuriteInstallation.EnsureInstalled(root, TextWriter.Null), ports);
        var processId = azurite.ProcessId;
        Assert.All(ports.All, port => Assert.True(TcpProbe.IsListening("127.0.0.1", port)));

        azurite.Stop();
        azurite.Stop();

        Assert.All(ports.All, port => Assert.False(TcpProbe.IsListening("127.0.0.1", port)));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(processId));
    }

    [Fact]
    public void Starting_on_a_port_in_use_is_refused_in_one_line_naming_the_port()
    {
        var root = AzuriteInstallation.FindRepositoryRoot()!;
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var busy = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var free = AzuritePorts.FindFree();

            var error = Assert.Throws<AzuriteException>(() =>
                AzuriteProcess.Start(AzuriteInstallation.EnsureInstalled(root, TextWriter.Null), free with { Table = busy }));

            Assert.Contains(busy.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            listener.Stop();
        }
    }
}
