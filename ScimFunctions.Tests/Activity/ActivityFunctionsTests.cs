using System.Collections.Concurrent;
using System.Net;
using ScimFunctions.Tests.EndToEnd;

namespace ScimFunctions.Tests.Activity;

/// <summary><c>GET /manage/directories/{id}/requests</c>: every request in its own directory's log, once, newest
/// first, across pages; cursors bound to their directory.</summary>
public sealed class ActivityFunctionsTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    [Fact]
    public async Task A_thousand_requests_from_eight_clients_across_three_directories_are_each_logged_once_in_their_own_directory()
    {
        var directories = new[] { await fixture.NewDirectoryAsync("Okta"), await fixture.NewDirectoryAsync("EntraId"), await fixture.NewDirectoryAsync("OneLogin") };
        var sent = new ConcurrentDictionary<string, (string DirectoryId, int Status)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < 1000)
            {
                var scim = directories[n % 3];
                var agent = $"load/{n}";
                var response = n % 4 == 0
                    ? await scim.GetAsync("/Users/" + Guid.NewGuid().ToString("N"), request => request.Headers.UserAgent.ParseAdd(agent))
                    : await scim.GetAsync("/Users?count=1", request => request.Headers.UserAgent.ParseAdd(agent));
                sent[agent] = (scim.DirectoryId, (int)response.Status);
            }
        }));
        Assert.Equal(1000, sent.Count);
        Assert.Contains(sent.Values, value => value.Status == 404);
        await fixture.Host.FlushAsync();

        foreach (var scim in directories)
        {
            var log = await fixture.Host.AllRequestsAsync(scim.DirectoryId);
            var expected = sent.Where(pair => pair.Value.DirectoryId == scim.DirectoryId).ToDictionary(pair => pair.Key, pair => pair.Value.Status);
            var agents = log.Select(entry => entry["userAgent"]!.GetValue<string>()).ToList();
            Assert.Equal(agents.Count, agents.Distinct().Count());
            Assert.Equal(expected.Keys.Order(), agents.Order());
            foreach (var entry in log) Assert.Equal(expected[entry["userAgent"]!.GetValue<string>()], entry["status"]!.GetValue<int>());
            var times = log.Select(entry => DateTimeOffset.Parse(entry["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(times.OrderByDescending(at => at), times);
        }

        var notFound = await fixture.Host.AllRequestsAsync(directories[0].DirectoryId, "&status=4xx");
        Assert.NotEmpty(notFound);
        Assert.All(notFound, entry => Assert.Equal(404, entry["status"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Pages_follow_the_cursor_and_a_cursor_of_another_directory_is_refused()
    {
        var first = await fixture.NewDirectoryAsync("Okta");
        var second = await fixture.NewDirectoryAsync("Okta");
        for (var i = 0; i < 5; i++) (await first.GetAsync("/Users")).Expect(HttpStatusCode.OK);
        await fixture.Host.FlushAsync();

        var page = await fixture.Host.ManageGetAsync($"/manage/directories/{first.DirectoryId}/requests?count=2");
        Assert.Equal(2, page["requests"]!.AsArray().Count);
        var cursor = page["nextCursor"]!.GetValue<string>();
        var rest = await fixture.Host.ManageGetAsync($"/manage/directories/{first.DirectoryId}/requests?count=10&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal(3, rest["requests"]!.AsArray().Count);
        Assert.Null(rest["nextCursor"]);
        var ids = page["requests"]!.AsArray().Concat(rest["requests"]!.AsArray()).Select(entry => entry!["requestId"]!.GetValue<string>()).ToList();
        Assert.Equal(5, ids.Distinct().Count());

        Assert.Empty(await fixture.Host.AllRequestsAsync(first.DirectoryId, "&method=POST"));
        Assert.Equal(5, (await fixture.Host.AllRequestsAsync(first.DirectoryId, "&method=GET&resource=Users&status=2xx")).Count);
        Assert.Empty(await fixture.Host.AllRequestsAsync(first.DirectoryId, "&since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))));
        Assert.Equal(5, (await fixture.Host.AllRequestsAsync(first.DirectoryId,
            "&since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-2).ToString("O")) + "&until=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O")))).Count);
        using var badStatus = await fixture.Host.ManageSendAsync(HttpMethod.Get, $"/manage/directories/{first.DirectoryId}/requests?status=200");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);

        using var foreign = await fixture.Host.ManageSendAsync(HttpMethod.Get, $"/manage/directories/{second.DirectoryId}/requests?cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        using var unknown = await fixture.Host.ManageSendAsync(HttpMethod.Get, "/manage/directories/nosuchdirectory0/requests");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
