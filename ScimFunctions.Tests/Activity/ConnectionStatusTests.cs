using System.Net;
using ScimFunctions.Activity;
using ScimFunctions.Tests.EndToEnd;

namespace ScimFunctions.Tests.Activity;

/// <summary>A directory's connection status, driven over HTTP: waiting → connected → failing → connected.</summary>
public sealed class ConnectionStatusTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    [Fact]
    public async Task Status_moves_from_waiting_to_connected_to_failing_and_back_to_connected()
    {
        var scim = await fixture.NewDirectoryAsync("EntraId");
        Assert.Equal(ConnectionStatus.Waiting, (await StatusAsync(scim))["state"]!.GetValue<string>());

        // Discovery needs no token, so it does not make a connection.
        (await scim.GetAsync("/ServiceProviderConfig")).Expect(HttpStatusCode.OK);
        await fixture.Host.FlushAsync();
        var waiting = await StatusAsync(scim);
        Assert.Equal(ConnectionStatus.Waiting, waiting["state"]!.GetValue<string>());
        Assert.Equal("GET ServiceProviderConfig", waiting["lastRequest"]!["kind"]!.GetValue<string>());

        (await scim.GetAsync("/Users?filter=" + ScimClient.Filter("userName eq \"x@example.test\""))).Expect(HttpStatusCode.OK);
        await fixture.Host.FlushAsync();
        var connected = await StatusAsync(scim);
        Assert.Equal(ConnectionStatus.Connected, connected["state"]!.GetValue<string>());
        Assert.Equal("GET Users", connected["lastSuccess"]!["kind"]!.GetValue<string>());

        for (var i = 0; i < 3; i++)
        {
            (await fixture.Host.SendWithTokenAsync(scim.DirectoryId, "pasted-the-wrong-thing", HttpMethod.Get, "/Users")).Expect(HttpStatusCode.Unauthorized);
        }
        await fixture.Host.FlushAsync();
        var failing = await StatusAsync(scim);
        Assert.Equal(ConnectionStatus.Failing, failing["state"]!.GetValue<string>());
        Assert.Equal(ActivityHints.MissingToken, failing["commonHint"]!["code"]!.GetValue<string>());
        Assert.Equal(4, failing["recentRequests"]!.GetValue<int>());
        Assert.Equal(3, failing["recentErrors"]!.GetValue<int>());
        Assert.Equal(401, failing["lastRequest"]!["status"]!.GetValue<int>());

        for (var i = 0; i < 3; i++) (await scim.GetAsync("/Groups")).Expect(HttpStatusCode.OK);
        await fixture.Host.FlushAsync();
        var recovered = await StatusAsync(scim);
        Assert.Equal(ConnectionStatus.Connected, recovered["state"]!.GetValue<string>());
        Assert.Null(recovered["commonHint"]);
        Assert.Equal("GET Groups", recovered["lastSuccess"]!["kind"]!.GetValue<string>());
    }

    private Task<System.Text.Json.Nodes.JsonNode> StatusAsync(ScimClient scim) =>
        fixture.Host.ManageGetAsync($"/manage/directories/{scim.DirectoryId}/status");
}
