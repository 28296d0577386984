using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Auth;
using ScimFunctions.Configuration;
using ScimFunctions.Functions;
using ScimFunctions.Functions.Http;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Management;

/// <summary>
/// A SCIM route that does what every SCIM function does first: authenticate. It stands in for the SCIM
/// resource functions here, because discovery (ServiceProviderConfig) is deliberately served without a token.
/// </summary>
public sealed class AuthenticatedScimProbe(ScimRequestAuthenticator authenticator, HttpEdge edge)
{
    [Function("AuthenticatedScimProbe")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ScimRoutes.ScimBase + "/AuthProbe")] HttpRequest request,
        string directoryId,
        CancellationToken cancellationToken)
    {
        var auth = await authenticator.AuthenticateAsync(request.Headers.Authorization, directoryId, cancellationToken);
        return auth.Succeeded ? new ScimResult(StatusCodes.Status200OK, new JsonObject { ["directory"] = auth.DirectoryId }) : edge.Refused(ErrorSurface.Scim, auth.Failure.Value);
    }
}

public sealed class ManagementEndToEndTests
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(1);

    private static Task<RunningLocalHost> StartAsync() => RunningLocalHost.StartAsync(options =>
    {
        options.ExtraFunctionTypes.Add(typeof(AuthenticatedScimProbe));
        options.RunQueueListeners = false;
        options.RunTimers = false;
        options.Settings[AppSettingNames.TokenCacheLifetime] = CacheLifetime.ToString();
    });

    private static HttpRequestMessage Manage(RunningLocalHost host, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", host.FunctionKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    private static HttpRequestMessage Scim(string directoryId, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/scim/{directoryId}/v2/AuthProbe");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Create_directory_mint_call_scim_revoke_and_get_refused()
    {
        await using var host = await StartAsync();

        var created = await host.Client.SendAsync(Manage(host, HttpMethod.Post, "/manage/directories", new { displayName = "E2E Contoso", provider = "OneLogin" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var directoryId = (await JsonOf(created))["id"]!.GetValue<string>();

        var minted = await host.Client.SendAsync(Manage(host, HttpMethod.Post, $"/manage/directories/{directoryId}/tokens", new { label = "OneLogin" }));
        Assert.Equal(HttpStatusCode.Created, minted.StatusCode);
        var mintedBody = await JsonOf(minted);
        var token = mintedBody["token"]!.GetValue<string>();
        var tokenId = mintedBody["id"]!.GetValue<string>();
        Assert.Equal(new Uri(host.BaseAddress, $"/scim/{directoryId}/v2").ToString(), mintedBody["scimBaseUrl"]!.GetValue<string>());

        var allowed = await host.Client.SendAsync(Scim(directoryId, "Bearer " + token));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(directoryId, (await JsonOf(allowed))["directory"]!.GetValue<string>());
        var discovery = await host.Client.GetAsync(new Uri(mintedBody["scimBaseUrl"]!.GetValue<string>() + "/ServiceProviderConfig"));
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);

        var revoked = await host.Client.SendAsync(Manage(host, HttpMethod.Delete, $"/manage/directories/{directoryId}/tokens/{tokenId}"));
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await Task.Delay(CacheLifetime + TimeSpan.FromMilliseconds(200));

        var refused = await host.Client.SendAsync(Scim(directoryId, "Bearer " + token));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("401", (await JsonOf(refused))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_scim_token_opens_no_management_route_and_the_admin_key_opens_no_scim_route()
    {
        await using var host = await StartAsync();
        var created = await host.Client.SendAsync(Manage(host, HttpMethod.Post, "/manage/directories", new { displayName = "E2E Fabrikam", provider = "Okta" }));
        var directoryId = (await JsonOf(created))["id"]!.GetValue<string>();
        var token = (await JsonOf(await host.Client.SendAsync(Manage(host, HttpMethod.Post, $"/manage/directories/{directoryId}/tokens", new { label = "Okta" }))))["token"]!.GetValue<string>();

        using var withToken = new HttpRequestMessage(HttpMethod.Get, $"/manage/directories/{directoryId}/tokens");
        withToken.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(withToken)).StatusCode);

        var withKeyHeader = Scim(directoryId, "Bearer " + host.FunctionKey);
        withKeyHeader.Headers.Add("x-functions-key", host.FunctionKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(withKeyHeader)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync($"/scim/{directoryId}/v2/AuthProbe?code={host.FunctionKey}")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_directory_answers_403_over_http()
    {
        await using var host = await StartAsync();
        var directoryId = (await JsonOf(await host.Client.SendAsync(Manage(host, HttpMethod.Post, "/manage/directories", new { displayName = "E2E Disabled", provider = "Other" }))))["id"]!.GetValue<string>();
        var token = (await JsonOf(await host.Client.SendAsync(Manage(host, HttpMethod.Post, $"/manage/directories/{directoryId}/tokens", new { label = "x" }))))["token"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(Manage(host, HttpMethod.Post, $"/manage/directories/{directoryId}/disable"))).StatusCode);

        var response = await host.Client.SendAsync(Scim(directoryId, "Bearer " + token));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("403", (await JsonOf(response))["status"]!.GetValue<string>());
    }
}
