using System.Text.Json;
using Azure.Storage.Queues;
using ScimFunctions.LocalHost;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Contracts;

public sealed class HostJsonContractTests
{
    private static readonly string HostJsonPath = Path.Combine(AppContext.BaseDirectory, "host.json");

    [Fact]
    public void The_app_sends_queue_messages_in_the_encoding_host_json_tells_the_trigger_to_expect()
    {
        var hostJson = HostJsonSettings.Load(HostJsonPath);
        var triggerExpects = hostJson.MessageEncoding == "base64" ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None;
        Assert.Equal(StorageClients.MessageEncoding, triggerExpects);
    }

    [Fact]
    public void Route_prefix_is_empty_so_the_scim_base_url_is_short_and_clear_of_the_reserved_admin_prefix()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(HostJsonPath));
        Assert.Equal("2.0", document.RootElement.GetProperty("version").GetString());
        Assert.Equal("", HostJsonSettings.Load(HostJsonPath).RoutePrefix);
    }

    [Fact]
    public void Host_json_in_the_build_output_is_the_repository_one()
    {
        var repositoryHostJson = Path.Combine(RepositoryRoot(), "host.json");
        Assert.Equal(File.ReadAllText(repositoryHostJson), File.ReadAllText(HostJsonPath));
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ScimFunctions.slnx"))) return folder.FullName;
        }
        throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }
}
