using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.LocalHost;

public sealed class LocalHostHttpTests
{
    [Fact]
    public async Task Serves_ServiceProviderConfig_as_scim_json_under_the_directory_base_url()
    {
        await using var host = await RunningLocalHost.StartAsync();
        var response = await host.Client.GetAsync("/scim/dir-one/v2/ServiceProviderConfig");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig", body["schemas"]![0]!.GetValue<string>());
        Assert.Equal(new Uri(host.BaseAddress, "/scim/dir-one/v2/ServiceProviderConfig").ToString(), body["meta"]!["location"]!.GetValue<string>());
        Assert.Equal("oauthbearertoken", body["authenticationSchemes"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Route_literals_match_case_insensitively_as_in_the_functions_host()
    {
        await using var host = await RunningLocalHost.StartAsync();
        var response = await host.Client.GetAsync("/scim/dir-one/v2/serviceproviderconfig");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Kestrel_cuts_slow_bodies_after_a_grace_and_waits_a_bounded_time_for_headers()
    {
        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunQueueListeners = false;
            options.RunTimers = false;
        });
        var limits = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>().Value.Limits;
        Assert.Equal(240, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.MinRequestBodyDataRate.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), limits.RequestHeadersTimeout);
    }

    [Fact]
    public async Task Health_is_200_when_tables_and_queues_answer()
    {
        await using var host = await RunningLocalHost.StartAsync();
        var response = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        Assert.Equal("ok", body["checks"]!["tables"]!.GetValue<string>());
        Assert.Equal("ok", body["checks"]!["queues"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_is_503_with_the_reason_when_storage_is_down()
    {
        // Port 9 (discard) on loopback: nothing listens, so every storage call is refused.
        const string unreachable = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.Settings["AzureWebJobsStorage"] = unreachable;
            options.RunQueueListeners = false;
            options.RunTimers = false;
        });
        var response = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("unhealthy", body["status"]!.GetValue<string>());
        Assert.StartsWith("unreachable", body["checks"]!["tables"]!.GetValue<string>());
        Assert.StartsWith("unreachable", body["checks"]!["queues"]!.GetValue<string>());
    }

    [Fact]
    public async Task Function_level_routes_need_the_function_key_in_header_or_query()
    {
        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.ExtraFunctionTypes.Add(typeof(ProbeFunctions));
            options.ConfigureServices = services => services.AddSingleton(new ProbeRecorder());
            options.RunQueueListeners = false;
            options.RunTimers = false;
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/probe/keyed/x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/probe/keyed/x?code=wrong")).StatusCode);

        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/probe/keyed/ada");
        withHeader.Headers.Add("x-functions-key", host.FunctionKey);
        var headerResponse = await host.Client.SendAsync(withHeader);
        Assert.Equal(HttpStatusCode.OK, headerResponse.StatusCode);
        Assert.Equal("ada", JsonNode.Parse(await headerResponse.Content.ReadAsStringAsync())!["name"]!.GetValue<string>());

        var queryResponse = await host.Client.GetAsync($"/probe/keyed/bob?code={host.FunctionKey}");
        Assert.Equal(HttpStatusCode.OK, queryResponse.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_are_404()
    {
        await using var host = await RunningLocalHost.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/scim/x/v2/ServiceProviderConfig")).StatusCode);
    }
}
