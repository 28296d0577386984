using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ScimFunctions.LocalHost;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.LocalHost;

public sealed class DevelopmentDirectoryTests
{
    [Fact]
    public async Task The_run_command_reuses_the_Development_directory_and_mints_a_fresh_working_token_each_time()
    {
        await using var host = await RunningLocalHost.StartAsync(options => options.RunTimers = false);

        var first = await DevelopmentDirectory.EnsureAsync(host.BaseAddress, host.FunctionKey);
        var second = await DevelopmentDirectory.EnsureAsync(host.BaseAddress, host.FunctionKey);

        Assert.Equal(first.DirectoryId, second.DirectoryId);
        Assert.NotEqual(first.BearerToken, second.BearerToken);
        Assert.Equal(new Uri(host.BaseAddress, $"/scim/{first.DirectoryId}/v2").ToString().TrimEnd('/'), first.ScimBaseUrl);

        // The printed pair is exactly what an admin pastes into the IdP: it opens the directory's SCIM routes.
        using var probe = new HttpRequestMessage(HttpMethod.Get, first.ScimBaseUrl + "/Users?filter=" + Uri.EscapeDataString("userName eq \"nobody\""));
        probe.Headers.Authorization = new AuthenticationHeaderValue("Bearer", second.BearerToken);
        var probeResponse = await host.Client.SendAsync(probe);
        Assert.Equal(HttpStatusCode.OK, probeResponse.StatusCode);
        Assert.Equal(0, JsonNode.Parse(await probeResponse.Content.ReadAsStringAsync())!["totalResults"]!.GetValue<int>());

        using var listTokens = new HttpRequestMessage(HttpMethod.Get, $"/manage/directories/{first.DirectoryId}/tokens");
        listTokens.Headers.Add("x-functions-key", host.FunctionKey);
        var tokens = JsonNode.Parse(await (await host.Client.SendAsync(listTokens)).Content.ReadAsStringAsync())!["tokens"]!.AsArray();
        Assert.True(tokens.Count >= 2);
        Assert.DoesNotContain(first.BearerToken, tokens.ToJsonString());
    }

    [Fact]
    public async Task Repeated_runs_stay_under_the_token_cap_and_print_a_working_operator_portal_link()
    {
        await using var host = await RunningLocalHost.StartAsync(options => options.RunTimers = false);

        DevelopmentDirectory.Credentials? last = null;
        for (var run = 0; run < 3; run++) last = await DevelopmentDirectory.EnsureAsync(host.BaseAddress, host.FunctionKey);

        Assert.StartsWith(new Uri(host.BaseAddress, "/portal/#link=").ToString(), last!.PortalUrl);
        using var redeem = new HttpRequestMessage(HttpMethod.Post, "/portal/api/session")
        {
            Content = new StringContent(new JsonObject { ["link"] = last.PortalUrl[(last.PortalUrl.IndexOf("#link=", StringComparison.Ordinal) + 6)..] }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        redeem.Headers.Add("X-Portal-Request", "1");
        var session = await host.Client.SendAsync(redeem);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.True(JsonNode.Parse(await session.Content.ReadAsStringAsync())!["operator"]!.GetValue<bool>());
    }
}
