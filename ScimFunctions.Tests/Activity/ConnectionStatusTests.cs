using System.Net;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task Status_and_the_directory_list_carry_the_user_and_group_counts()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var kept = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "kept@example.test" })).Expect(HttpStatusCode.Created);
        var gone = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "gone@example.test" })).Expect(HttpStatusCode.Created);
        (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "KEPT@example.test" })).Expect(HttpStatusCode.Conflict);
        (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Staff" })).Expect(HttpStatusCode.Created);
        (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Bad", ["members"] = new JsonArray(new JsonObject { ["value"] = "nobody" }) })).Expect(HttpStatusCode.BadRequest);
        (await scim.DeleteAsync($"/Users/{gone.Id}")).Expect(HttpStatusCode.NoContent);
        (await scim.DeleteAsync($"/Users/{gone.Id}")).Expect(HttpStatusCode.NotFound);

        Assert.Equal("""{"users":1,"groups":1}""", (await StatusAsync(scim))["counts"]!.ToJsonString());
        var listed = (await fixture.Host.ManageGetAsync("/manage/directories"))["directories"]!.AsArray()
            .Single(directory => directory!["id"]!.GetValue<string>() == scim.DirectoryId)!;
        Assert.Equal("""{"users":1,"groups":1}""", listed["counts"]!.ToJsonString());
        Assert.NotNull(kept.Id);
        await fixture.Host.FlushAsync();
        listed = (await fixture.Host.ManageGetAsync("/manage/directories"))["directories"]!.AsArray()
            .Single(directory => directory!["id"]!.GetValue<string>() == scim.DirectoryId)!;
        Assert.Equal(ConnectionStatus.Connected, listed["connection"]!.GetValue<string>());
    }

    private Task<System.Text.Json.Nodes.JsonNode> StatusAsync(ScimClient scim) =>
        fixture.Host.ManageGetAsync($"/manage/directories/{scim.DirectoryId}/status");
}
