using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ScimFunctions.Tests.EndToEnd;
using static Microsoft.Playwright.Assertions;

namespace ScimFunctions.Tests.Portal.Browser;

/// <summary>Every screen of a directory with data in it: under the real CSP (no bypass), and through axe-core.</summary>
[Trait("Category", "Browser")]
public sealed class PortalScreensTests(PortalBrowserFixture fixture) : IClassFixture<PortalBrowserFixture>
{
    private const string ExpectedCsp = "default-src 'none'; script-src 'self'; style-src 'self'";

    [Fact]
    public async Task Every_screen_is_served_with_the_security_headers_and_runs_without_a_csp_violation()
    {
        var seeded = await SeedAsync();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        PortalGuideTests.WatchForCspViolations(page, violations);
        // The pages keep polling the status while the answers are checked, so the list is read under a lock. Each
        // answer's headers are taken as it arrives: asking the browser later, after the page moved on, can fail.
        var answers = new List<(string Url, int Status, Dictionary<string, string> Headers)>();
        page.Response += (_, response) =>
        {
            if (!new Uri(response.Url).AbsolutePath.StartsWith("/portal", StringComparison.Ordinal)) return;
            var headers = new Dictionary<string, string>(response.Headers, StringComparer.OrdinalIgnoreCase);
            lock (answers) answers.Add((response.Url, response.Status, headers));
        };

        await PortalBrowserFixture.RedeemAsync(page, await fixture.OperatorLinkAsync());
        foreach (var (hash, heading) in Screens(seeded))
        {
            await page.GotoAsync("/portal/" + hash);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        (string Url, int Status, Dictionary<string, string> Headers)[] seen;
        lock (answers) seen = [.. answers];
        Assert.Contains(seen, r => r.Url.EndsWith("/portal/js/app.js", StringComparison.Ordinal));
        Assert.Contains(seen, r => r.Url.Contains("/portal/api/", StringComparison.Ordinal));
        foreach (var (url, status, headers) in seen)
        {
            Assert.True(headers.TryGetValue("content-security-policy", out var csp), $"{url} ({status}) has no CSP");
            Assert.True(csp!.StartsWith(ExpectedCsp, StringComparison.Ordinal), $"{url} ({status}) has the CSP {csp}");
            Assert.True(headers.GetValueOrDefault("referrer-policy") == "no-referrer", $"{url} ({status}) has no no-referrer policy");
            Assert.True(headers.GetValueOrDefault("x-content-type-options") == "nosniff", $"{url} ({status}) has no nosniff");
        }
        Assert.True(violations.Count == 0, "CSP violations: " + string.Join(" | ", violations));
    }

    [Fact]
    public async Task A_screen_left_while_its_request_is_slow_never_draws_over_the_next()
    {
        var seeded = await SeedAsync();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await PortalBrowserFixture.RedeemAsync(page, await fixture.OperatorLinkAsync());
        var d = $"#/directories/{seeded.DirectoryId}";
        await page.GotoAsync("/portal/" + d + "/setup");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Provider and setup", Exact = true })).ToBeVisibleAsync();
        var answered = new TaskCompletionSource();
        await page.RouteAsync("**/roles", async route =>
        {
            await Task.Delay(1500);
            await route.ContinueAsync();
            answered.TrySetResult();
        });

        await page.GotoAsync("/portal/" + d + "/roles");
        await page.GotoAsync("/portal/" + d + "/users");
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Exact = true })).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { Name = "Roles", Exact = true }).CountAsync());
    }

    [Fact]
    public async Task Every_screen_has_no_serious_or_critical_axe_violation()
    {
        Assert.True(File.Exists(PortalBrowserFixture.AxeScript), $"{PortalBrowserFixture.AxeScript} is missing: run `npm ci` in the repository root.");
        var seeded = await SeedAsync();
        // The axe script is injected inline, which the portal's CSP rightly refuses: only this context bypasses it.
        await using var context = await fixture.NewContextAsync(bypassCsp: true);
        var page = await context.NewPageAsync();
        var failures = new List<string>();

        var link = await fixture.OperatorLinkAsync();
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Continue" })).ToBeVisibleAsync();
        failures.AddRange(await AxeAsync(page, "landing"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForFunctionAsync("() => !location.hash.startsWith('#link=')");
        foreach (var (hash, heading) in Screens(seeded))
        {
            await page.GotoAsync("/portal/" + hash);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            failures.AddRange(await AxeAsync(page, hash));
            await page.SetViewportSizeAsync(800, 900);
            failures.AddRange(await AxeAsync(page, hash + " at 800 px"));
            await page.SetViewportSizeAsync(1280, 900);
        }

        Assert.True(failures.Count == 0, "axe found serious or critical violations:\n" + string.Join("\n", failures));
    }

    private static IEnumerable<(string Hash, string Heading)> Screens(Seeded seeded)
    {
        var d = $"#/directories/{seeded.DirectoryId}";
        yield return ("#/", "Directories");
        yield return ($"{d}/setup", "Provider and setup");
        yield return ($"{d}/tokens", "Tokens");
        yield return ($"{d}/roles", "Roles");
        yield return ($"{d}/users", "Users");
        yield return ($"{d}/users/{seeded.UserId}", "Ada Lovelace");
        yield return ($"{d}/groups", "Groups");
        yield return ($"{d}/groups/{seeded.GroupId}", seeded.GroupName);
        yield return ($"{d}/activity", "Activity");
    }

    private static async Task<IEnumerable<string>> AxeAsync(IPage page, string screen)
    {
        await page.AddScriptTagAsync(new() { Path = PortalBrowserFixture.AxeScript });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)
            """);
        return violations.EnumerateArray().Select(v => $"{screen}: {v.GetString()}").ToList();
    }

    private sealed record Seeded(string DirectoryId, string UserId, string GroupId, string GroupName);

    /// <summary>A directory with a user, a group holding it, a role and a mapping, so every screen has rows.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var directory = await fixture.ManageAsync(HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = "Screens " + Guid.NewGuid().ToString("N")[..6], ["provider"] = "OneLogin" });
        var id = directory!["id"]!.GetValue<string>();
        var token = await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{id}/tokens", new JsonObject { ["label"] = "OneLogin" });
        var scim = fixture.Scim(id, token!["token"]!.GetValue<string>());
        var userId = (await scim.PostAsync("/Users", new JsonObject
        {
            ["userName"] = "ada@example.com",
            ["name"] = new JsonObject { ["givenName"] = "Ada", ["familyName"] = "Lovelace" },
            ["displayName"] = "Ada Lovelace",
            ["emails"] = new JsonArray(new JsonObject { ["value"] = "ada@example.com", ["type"] = "work" }),
        })).Expect(HttpStatusCode.Created).Id;
        const string groupName = "Analysts";
        var groupId = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = groupName, ["members"] = ScimClient.MemberList(userId) })).Expect(HttpStatusCode.Created).Id;
        (await scim.GetAsync("/Users/does-not-exist")).Expect(HttpStatusCode.NotFound);
        await fixture.ManageAsync(HttpMethod.Put, $"/manage/directories/{id}/roles/analyst", new JsonObject { ["displayName"] = "Analyst", ["description"] = "Reads reports" });
        await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{id}/role-mappings", new JsonObject { ["group"] = new JsonObject { ["id"] = groupId }, ["roles"] = new JsonArray("analyst") });
        return new Seeded(id, userId, groupId, groupName);
    }
}
