using System.Net;
using ScimFunctions.Webhooks;

namespace ScimFunctions.Tests.Webhooks;

public sealed class WebhookTargetPolicyTests
{
    private static readonly WebhookTargetPolicy Production = new(development: false, (host, _) => Task.FromResult(host switch
    {
        "internal.example.com" => new[] { IPAddress.Parse("10.1.2.3") },
        "mixed.example.com" => new[] { IPAddress.Parse("203.0.113.10"), IPAddress.Parse("192.168.1.1") },
        "localhost" => new[] { IPAddress.Loopback },
        _ => new[] { IPAddress.Parse("203.0.113.10") },
    }));

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    [InlineData("https://[fd00:ec2::254]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://internal.example.com/hook")]
    [InlineData("https://mixed.example.com/hook")]
    [InlineData("http://app.example.com/hook")]
    [InlineData("https://user:pass@app.example.com/hook")]
    [InlineData("ftp://app.example.com/hook")]
    [InlineData("not a url")]
    public async Task Outside_development_unsafe_targets_are_refused(string url) =>
        await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => Production.CheckUrlAsync(url, CancellationToken.None));

    [Fact]
    public async Task A_public_https_target_is_accepted()
    {
        var uri = await Production.CheckUrlAsync("https://app.example.com/hook", CancellationToken.None);
        Assert.Equal("app.example.com", uri.Host);
    }

    [Fact]
    public async Task At_connection_time_only_permitted_addresses_are_used_and_a_rebound_name_is_refused()
    {
        Assert.Equal([IPAddress.Parse("203.0.113.10")], await Production.PermittedAddressesAsync("mixed.example.com", CancellationToken.None));
        await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => Production.PermittedAddressesAsync("internal.example.com", CancellationToken.None));
    }

    [Fact]
    public async Task Delivery_to_a_name_resolving_to_loopback_never_connects()
    {
        var options = new WebhookOptions { RequestTimeout = TimeSpan.FromSeconds(5) };
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        var rebinding = new WebhookTargetPolicy(false, (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));
        using var transport = new WebhookTransport(rebinding, options);
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => transport.Client.PostAsync($"https://rebound.example.com:{port}/hook", new StringContent("{}")));
        Assert.IsType<WebhookTargetRefusedException>(failure.InnerException);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Development_allows_http_to_loopback_only()
    {
        var development = new WebhookTargetPolicy(development: true);
        await development.CheckUrlAsync("http://127.0.0.1:5000/hook", CancellationToken.None);
        await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => development.CheckUrlAsync("http://203.0.113.10/hook", CancellationToken.None));
    }
}
