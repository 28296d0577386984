using ScimFunctions.LocalHost;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.LocalHost;

public sealed class LocalStorageTests
{
    [Fact]
    public void Development_storage_means_the_default_Azurite_ports_on_loopback()
    {
        var endpoints = StorageEndpoints.Parse("UseDevelopmentStorage=true");

        Assert.Equal(AzuritePorts.Default, endpoints.LocalPorts);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), endpoints.Table);
    }

    [Fact]
    public void Explicit_endpoints_are_read_and_an_account_without_them_points_at_Azure()
    {
        var ports = new AzuritePorts(20000, 20001, 20002);
        Assert.Equal(ports, StorageEndpoints.Parse(ports.ConnectionString).LocalPorts);

        var azure = StorageEndpoints.Parse("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net");
        Assert.Equal(new Uri("https://acct.table.core.windows.net/"), azure.Table);
        Assert.Null(azure.LocalPorts);
    }

    [Fact]
    public void Unreachable_storage_elsewhere_is_reported_in_one_line_naming_the_address_and_nothing_is_started()
    {
        // 192.0.2.0/24 is reserved for documentation: nothing answers there.
        const string settings = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;" +
            "BlobEndpoint=http://192.0.2.1:10000/devstoreaccount1;QueueEndpoint=http://192.0.2.1:10001/devstoreaccount1;" +
            "TableEndpoint=http://192.0.2.1:10002/devstoreaccount1";

        var error = Assert.Throws<StorageUnreachableException>(() => LocalStorage.EnsureReachable(settings, AzuriteInstallation.FindRepositoryRoot(), TextWriter.Null));

        Assert.Contains("192.0.2.1:1000", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Storage_that_answers_is_used_as_it_is()
    {
        var ports = StorageEndpoints.Parse(TestStorage.ConnectionString).LocalPorts!;

        using var started = LocalStorage.EnsureReachable(ports.ConnectionString, AzuriteInstallation.FindRepositoryRoot(), TextWriter.Null);

        Assert.Null(started);
    }
}
