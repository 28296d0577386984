using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Functions.Management;
using ScimFunctions.Tests.Auth;

namespace ScimFunctions.Tests.Functions.Management;

public sealed class DirectoryManagementFunctionsTests : IAsyncLifetime
{
    private readonly AuthHarness harness = new();
    private readonly DirectoryManagementFunctions functions;

    public DirectoryManagementFunctionsTests() => functions = harness.Create<DirectoryManagementFunctions>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private async Task<Http.Executed> CreateAsync(string body)
    {
        var request = Http.Request(body: body, host: "contoso-scim.azurewebsites.net");
        return await Http.ExecuteAsync(await functions.CreateDirectory(request, CancellationToken.None), request);
    }

    [Fact]
    public async Task Create_answers_201_with_the_directory_and_its_scim_base_url()
    {
        var response = await CreateAsync("""{"displayName":"  Contoso  ","provider":"onelogin"}""");

        Assert.Equal(201, response.Status);
        var id = response.Json!["id"]!.GetValue<string>();
        Assert.Equal("Contoso", response.Json!["displayName"]!.GetValue<string>());
        Assert.Equal("OneLogin", response.Json!["provider"]!.GetValue<string>());
        Assert.Equal("active", response.Json!["state"]!.GetValue<string>());
        Assert.Equal($"https://contoso-scim.azurewebsites.net/scim/{id}/v2", response.Json!["scimBaseUrl"]!.GetValue<string>());
        Assert.Equal($"/manage/directories/{id}", response.Headers["Location"]);
        Assert.NotNull(await harness.DirectoryStore.GetAsync(id, CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"provider":"Okta"}""", "invalidValue")]
    [InlineData("""{"displayName":"","provider":"Okta"}""", "invalidValue")]
    [InlineData("""{"displayName":42,"provider":"Okta"}""", "invalidValue")]
    [InlineData("""{"displayName":"Contoso"}""", "invalidValue")]
    [InlineData("""{"displayName":"Contoso","provider":"Ping"}""", "invalidValue")]
    [InlineData("""{"displayName":"Contoso","provider":"1"}""", "invalidValue")]
    [InlineData("""{"displayName":"Contoso\u0000","provider":"Okta"}""", "invalidValue")]
    [InlineData("""["Contoso"]""", "invalidSyntax")]
    [InlineData("""{"displayName":""", "invalidSyntax")]
    public async Task Bad_create_bodies_get_400_and_create_nothing(string body, string scimType)
    {
        var response = await CreateAsync(body);

        Assert.Equal(400, response.Status);
        Assert.Equal("400", response.Json!["status"]!.GetValue<string>());
        Assert.Equal(scimType, response.Json!["scimType"]!.GetValue<string>());
        Assert.Empty(await harness.Directories.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Get_list_rename_disable_enable_and_delete_round_trip()
    {
        var id = (await CreateAsync("""{"displayName":"Contoso","provider":"EntraId"}""")).Json!["id"]!.GetValue<string>();

        var got = await Http.ExecuteAsync(await functions.GetDirectory(Http.Request(), id, CancellationToken.None));
        var renamed = await Http.ExecuteAsync(await functions.UpdateDirectory(Http.Request(body: """{"displayName":"Contoso EU"}"""), id, CancellationToken.None));
        var disabled = await Http.ExecuteAsync(await functions.DisableDirectory(Http.Request(), id, CancellationToken.None));
        var listed = await Http.ExecuteAsync(await functions.ListDirectories(Http.Request(), CancellationToken.None));
        var enabled = await Http.ExecuteAsync(await functions.EnableDirectory(Http.Request(), id, CancellationToken.None));
        var deleted = await Http.ExecuteAsync(await functions.DeleteDirectory(Http.Request(), id, CancellationToken.None));
        var afterDelete = await Http.ExecuteAsync(await functions.GetDirectory(Http.Request(), id, CancellationToken.None));
        var listedAfterDelete = await Http.ExecuteAsync(await functions.ListDirectories(Http.Request(), CancellationToken.None));

        Assert.Equal(200, got.Status);
        Assert.Equal("EntraId", got.Json!["provider"]!.GetValue<string>());
        Assert.Equal("Contoso EU", renamed.Json!["displayName"]!.GetValue<string>());
        Assert.Equal("disabled", disabled.Json!["state"]!.GetValue<string>());
        Assert.Equal("disabled", listed.Json!["directories"]![0]!["state"]!.GetValue<string>());
        Assert.Equal("""{"users":0,"groups":0}""", listed.Json!["directories"]![0]!["counts"]!.ToJsonString());
        Assert.Equal("waiting", listed.Json!["directories"]![0]!["connection"]!.GetValue<string>());
        Assert.Equal("active", enabled.Json!["state"]!.GetValue<string>());
        Assert.Equal(202, deleted.Status);
        Assert.Equal("deleting", deleted.Json!["state"]!.GetValue<string>());
        Assert.Equal(404, afterDelete.Status);
        Assert.Empty(listedAfterDelete.Json!["directories"]!.AsArray());
    }

    [Fact]
    public async Task Unknown_directories_get_404_on_every_route()
    {
        const string id = "nosuchdirectory";

        Assert.Equal(404, (await Http.ExecuteAsync(await functions.GetDirectory(Http.Request(), id, CancellationToken.None))).Status);
        Assert.Equal(404, (await Http.ExecuteAsync(await functions.UpdateDirectory(Http.Request(body: """{"displayName":"x"}"""), id, CancellationToken.None))).Status);
        Assert.Equal(404, (await Http.ExecuteAsync(await functions.DisableDirectory(Http.Request(), id, CancellationToken.None))).Status);
        Assert.Equal(404, (await Http.ExecuteAsync(await functions.EnableDirectory(Http.Request(), id, CancellationToken.None))).Status);
        Assert.Equal(404, (await Http.ExecuteAsync(await functions.DeleteDirectory(Http.Request(), id, CancellationToken.None))).Status);
    }

    [Fact]
    public void Every_management_route_is_function_keyed_and_outside_the_hosts_admin_prefix()
    {
        var triggers = new[] { typeof(DirectoryManagementFunctions), typeof(TokenManagementFunctions) }
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
            .OfType<HttpTriggerAttribute>()
            .ToList();

        Assert.Equal(10, triggers.Count);
        Assert.All(triggers, t =>
        {
            Assert.Equal(AuthorizationLevel.Function, t.AuthLevel);
            Assert.StartsWith("manage/", t.Route);
        });
    }
}
