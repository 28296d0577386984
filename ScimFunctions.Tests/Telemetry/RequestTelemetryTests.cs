using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Moq;
using OpenTelemetry.Trace;
using ScimFunctions.Auth;
using ScimFunctions.Telemetry;
using ScimFunctions.Tests.Activity;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Telemetry;

public sealed class RequestTelemetryTests
{
    private const string UserName = "grace.hopper.telemetry@example.com";
    private const string GivenName = "Gracetelemetry";
    private const string ExternalId = "ext-telemetry-4711";

    [Fact]
    public async Task A_scim_request_is_one_request_span_with_storage_dependency_spans_and_no_secret_or_personal_data()
    {
        var spans = new List<System.Diagnostics.Activity>();
        await using var host = await RunningLocalHost.StartAsync(options =>
        {
            options.RunQueueListeners = false;
            options.RunTimers = false;
            options.ConfigureServices = services => services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));
        });
        using var created = await host.ManageSendAsync(HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = "Telemetry", ["provider"] = "OneLogin" });
        var directoryId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var minted = await host.ManageSendAsync(HttpMethod.Post, $"/manage/directories/{directoryId}/tokens", new JsonObject { ["label"] = "idp" });
        var token = JsonNode.Parse(await minted.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();

        // The listener hears every host in this process, and other tests run beside this one: the request carries its
        // own trace id, and only that trace's spans are judged.
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/scim/{directoryId}/v2/Users")
        {
            Content = new StringContent(new JsonObject
            {
                ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
                ["userName"] = UserName,
                ["externalId"] = ExternalId,
                ["name"] = new JsonObject { ["givenName"] = GivenName, ["familyName"] = "Hopper" },
                ["emails"] = new JsonArray(new JsonObject { ["value"] = UserName, ["primary"] = true }),
            }.ToJsonString(), Encoding.UTF8, "application/scim+json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // A filter names the userName in the query string: it must not reach a span either.
        using var search = new HttpRequestMessage(HttpMethod.Get, $"/scim/{directoryId}/v2/Users?filter=" + Uri.EscapeDataString($"userName eq \"{UserName}\""));
        search.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        search.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var found = await host.Client.SendAsync(search);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);

        // The host ends its request span once the answer is sent, so a busy machine may record it a moment later.
        var recorded = await SpansOfTraceAsync(spans, traceId, span => span.Kind == ActivityKind.Server, count: 2);
        var create = Assert.Single(recorded, span => span.Source.Name == ScimTelemetry.SourceName && span.DisplayName == "POST /scim/{directoryId}/v2/Users");
        Assert.Equal(201, create.GetTagItem("http.response.status_code"));
        // The host's request span (Kestrel here, the Functions host in Azure) is the parent of the app's span.
        var server = Assert.Single(recorded, span => span.SpanId == create.ParentSpanId);
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal(ActivityKind.Internal, create.Kind);
        var dependencies = recorded.Where(span => span.TraceId == create.TraceId && span.Source.Name.StartsWith("Azure.", StringComparison.Ordinal)).ToList();
        Assert.Contains(dependencies, span => span.ParentSpanId == create.SpanId && span.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
        Assert.Contains(dependencies, span => span.Kind == ActivityKind.Client && span.Source.Name == "Azure.Core.Http");

        string[] forbidden = [UserName, Uri.EscapeDataString(UserName), "grace.hopper.telemetry", GivenName, GivenName.ToUpperInvariant(), ExternalId, ExternalId.ToUpperInvariant(), token, Convert.ToBase64String(ScimToken.Hash(token)), Convert.ToHexString(ScimToken.Hash(token))];
        foreach (var span in recorded)
        {
            var texts = span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}")
                .Concat(span.Events.SelectMany(e => e.Tags.Select(tag => $"{e.Name}:{tag.Key}={tag.Value}")))
                .Append(span.DisplayName);
            foreach (var text in texts)
            {
                foreach (var value in forbidden)
                {
                    Assert.False(text.Contains(value, StringComparison.OrdinalIgnoreCase), $"Span '{span.DisplayName}' ({span.Source.Name}) carries a client value or secret: {text}");
                }
            }
        }
    }

    private static async Task<List<System.Diagnostics.Activity>> SpansOfTraceAsync(List<System.Diagnostics.Activity> spans, ActivityTraceId traceId, Func<System.Diagnostics.Activity, bool> awaited, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            List<System.Diagnostics.Activity> ofTrace;
            lock (spans) ofTrace = spans.Where(span => span.TraceId == traceId).ToList();
            if (ofTrace.Count(awaited) >= count || DateTime.UtcNow > deadline) return ofTrace;
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("https://acct.table.core.windows.net/ScimData(PartitionKey='p',RowKey='user%7CALICE')?$select=a", "https://acct.table.core.windows.net/ScimData")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/ScimData()?$filter=RowKey%20eq%20'x'", "http://127.0.0.1:10002/devstoreaccount1/ScimData")]
    [InlineData("https://vault.vault.azure.net/secrets/scim-token-a-b?api-version=7.5", "https://vault.vault.azure.net/secrets/scim-token-a-b")]
    [InlineData("not a url", "")]
    public void Dependency_urls_keep_only_scheme_host_and_resource_path(string url, string expected) =>
        Assert.Equal(expected, DependencySpanRedaction.Redact(url));

    [Fact]
    public void Application_Insights_is_used_only_when_configured_and_then_with_the_apps_credential()
    {
        var credential = new Mock<TokenCredential>().Object;
        var withInsights = Provider(new Dictionary<string, string?> { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/" }, credential);
        var options = withInsights.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.Same(credential, options.Credential);
        Assert.StartsWith("InstrumentationKey=", options.ConnectionString);

        var local = Provider(new Dictionary<string, string?>(), credential);
        Assert.Empty(local.GetServices<IConfigureOptions<AzureMonitorExporterOptions>>());
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings, TokenCredential credential)
    {
        var services = new ServiceCollection();
        services.AddSingleton(credential);
        services.AddScimTelemetry(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
