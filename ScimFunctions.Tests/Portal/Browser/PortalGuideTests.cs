using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ScimFunctions.Tests.EndToEnd;
using static Microsoft.Playwright.Assertions;

namespace ScimFunctions.Tests.Portal.Browser;

/// <summary>
/// The product guide, walked in a browser: the operator creates a OneLogin directory and a customer link; the
/// customer's admin opens it, configures OneLogin, watches the checklist tick as OneLogin's requests arrive,
/// maps the group to a role, checks Users and Activity, and rotates the token.
/// </summary>
[Trait("Category", "Browser")]
public sealed class PortalGuideTests(PortalBrowserFixture fixture) : IClassFixture<PortalBrowserFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task OneLogin_guide_from_operator_link_to_token_rotation()
    {
        // The contexts close with the browser (end of the class), so a failure can still photograph the page.
        IPage? current = null;
        await PortalBrowserFixture.CapturingFailureAsync(async () =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..6];
            var directoryName = "Hero SaaS " + suffix;
            var groupName = "Editors " + suffix;
            var cspViolations = new List<string>();

            // Operator: redeem an operator link, create the directory, mint a customer link.
            var operatorContext = await fixture.NewContextAsync();
            var operatorPage = await operatorContext.NewPageAsync();
            current = operatorPage;
            WatchForCspViolations(operatorPage, cspViolations);
            await PortalBrowserFixture.RedeemAsync(operatorPage, await fixture.OperatorLinkAsync());
            await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Directories", Exact = true })).ToBeVisibleAsync();
            await operatorPage.GetByLabel("Name", new() { Exact = true }).FillAsync(directoryName);
            await operatorPage.GetByLabel("Identity provider").SelectOptionAsync("OneLogin");
            await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Create directory" }).ClickAsync();
            var directoryLink = operatorPage.GetByRole(AriaRole.Link, new() { Name = directoryName, Exact = true });
            await Expect(directoryLink).ToBeVisibleAsync();
            var directoryId = Regex.Match((await directoryLink.GetAttributeAsync("href"))!, "#/directories/([^/]+)/").Groups[1].Value;
            await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Create link for " + directoryName }).ClickAsync();
            var customerUrl = await operatorPage.Locator("#customer-link-url").InputValueAsync();
            Assert.Contains("/portal/#link=", customerUrl);
            await PortalBrowserFixture.ScreenshotAsync(operatorPage, "01-operator-directories");

            // Customer admin, another browser: the landing page, Continue, and the fragment is gone.
            var adminContext = await fixture.NewContextAsync();
            var page = await adminContext.NewPageAsync();
            current = page;
            WatchForCspViolations(page, cspViolations);
            await page.GotoAsync(customerUrl);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set up user provisioning" })).ToBeVisibleAsync();
            await PortalBrowserFixture.ScreenshotAsync(page, "02-landing");
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Provider and setup" })).ToBeVisibleAsync();
            Assert.DoesNotContain("link=", page.Url);
            Assert.EndsWith($"#/directories/{directoryId}/setup", page.Url);

            // Provider and setup: OneLogin → Configure → the URL and the token, shown once.
            await page.GetByLabel("OneLogin", new() { Exact = true }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Configure", Exact = true }).ClickAsync();
            var token = await page.Locator("#new-token").InputValueAsync();
            var scimUrl = await page.Locator("#scim-url").InputValueAsync();
            Assert.StartsWith("scimf_", token);
            Assert.EndsWith($"/scim/{directoryId}/v2", scimUrl);
            await Expect(page.GetByText("It will not be shown again")).ToBeVisibleAsync();
            await PortalBrowserFixture.ScreenshotAsync(page, "03-setup-token");
            await page.GetByLabel("I have stored it").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
            await Expect(page.Locator("#new-token")).ToHaveCountAsync(0);

            // OneLogin's requests, with the token read from the page.
            var scim = fixture.Scim(directoryId, token);
            (await scim.GetAsync("/Users?filter=" + ScimClient.Filter("userName eq \"onelogin-probe-4711\""))).Expect(HttpStatusCode.OK);
            await ExpectStepDoneAsync(page, "probeAt");
            var userId = (await scim.PostAsync("/Users", OneLoginUser("kitty@example.com"), "application/json")).Expect(HttpStatusCode.Created).Id;
            var groupId = (await scim.PostAsync("/Groups", new JsonObject { ["schemas"] = new JsonArray("urn:scim:schemas:core:2.0"), ["displayName"] = groupName }, "application/json"))
                .Expect(HttpStatusCode.Created).Id;
            var add = ScimClient.Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = ScimClient.MemberList(userId) });
            Assert.True((await scim.PatchAsync($"/Groups/{groupId}", add, r => r.Headers.UserAgent.Clear())).Status is HttpStatusCode.OK or HttpStatusCode.NoContent);
            await ExpectStepDoneAsync(page, "firstUserAt");
            await ExpectStepDoneAsync(page, "firstMembershipAt");
            await Expect(page.Locator(".pill-connected")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await PortalBrowserFixture.ScreenshotAsync(page, "04-setup-checklist");

            // Roles: the app's role (defined by the operator), the group mapped to it, the preview, Save.
            await fixture.ManageAsync(HttpMethod.Put, $"/manage/directories/{directoryId}/roles/editor",
                new JsonObject { ["displayName"] = "Editor", ["description"] = "Can edit content" });
            await Section(page, "Roles").ClickAsync();
            var addMapping = page.Locator(".add-mapping");
            await addMapping.GetByLabel("Group", new() { Exact = true }).FillAsync(groupName);
            await addMapping.GetByLabel("Editor", new() { Exact = true }).CheckAsync();
            await addMapping.GetByRole(AriaRole.Button, new() { Name = "Add mapping" }).ClickAsync();
            await Expect(page.Locator("#roles-preview")).ToContainTextAsync("1 user gains Editor");
            await PortalBrowserFixture.ScreenshotAsync(page, "05-roles-preview");
            await page.Locator("#roles-save").ClickAsync();
            await Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
            Assert.Equal(0, await page.GetByText("not synced yet").CountAsync());

            // Users: the user with its group and the role it brought, once the recompute ran.
            await Section(page, "Users").ClickAsync();
            var userRow = page.Locator("tr", new() { HasText = "kitty@example.com" });
            await RetryUntilAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search" }), userRow.Locator(".badge-role", new() { HasText = "editor" }));
            await Expect(userRow).ToContainTextAsync(groupName);
            await Expect(userRow).ToContainTextAsync("via " + groupName);
            await PortalBrowserFixture.ScreenshotAsync(page, "06-users");
            await Section(page, "Groups").ClickAsync();
            await Expect(page.Locator("tr", new() { HasText = groupName })).ToContainTextAsync("editor");
            await PortalBrowserFixture.ScreenshotAsync(page, "07-groups");

            // Activity: OneLogin's requests, newest first.
            await Section(page, "Activity").ClickAsync();
            await Expect(page.Locator("tbody tr", new() { HasText = "PATCH" })).ToHaveCountAsync(1);
            await Expect(page.Locator("tbody tr", new() { HasText = "POST" })).ToHaveCountAsync(2);
            await PortalBrowserFixture.ScreenshotAsync(page, "08-activity");

            // Tokens: mint the second, both work, revoke the first (warned: it was just used), it is refused.
            await Section(page, "Tokens").ClickAsync();
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
            await page.GetByLabel("Label (optional)").FillAsync("rotation");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
            var secondToken = await page.Locator("#new-token").InputValueAsync();
            Assert.NotEqual(token, secondToken);
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create token" })).ToBeDisabledAsync();
            var rotated = fixture.Scim(directoryId, secondToken);
            (await scim.GetAsync("/Groups")).Expect(HttpStatusCode.OK);
            (await rotated.GetAsync("/Groups")).Expect(HttpStatusCode.OK);
            await PortalBrowserFixture.ScreenshotAsync(page, "09-tokens");
            await page.ReloadAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke token ending in " + token[^4..] }).ClickAsync();
            await Expect(page.GetByText("This token is in use")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke token", Exact = true }).ClickAsync();
            // Revoked once the list is read again: the old token's row says so and lost its Revoke button.
            await Expect(page.GetByRole(AriaRole.Alertdialog)).ToHaveCountAsync(0);
            await Expect(page.Locator("tbody tr", new() { HasText = "Revoked" })).ToContainTextAsync(token[^4..]);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke token ending in " + secondToken[^4..] })).ToHaveCountAsync(1);
            (await scim.GetAsync("/Groups")).Expect(HttpStatusCode.Unauthorized);
            (await rotated.GetAsync("/Groups")).Expect(HttpStatusCode.OK);

            // Activity shows the refused request and why.
            await Section(page, "Activity").ClickAsync();
            await page.GetByLabel("Status").SelectOptionAsync("4xx");
            var refused = page.Locator("tbody tr", new() { HasText = "401" });
            await RetryUntilAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }), refused);
            await Expect(refused.First.Locator(".hint")).ToContainTextAsync("revoked", new() { IgnoreCase = true });
            await PortalBrowserFixture.ScreenshotAsync(page, "10-activity-401");

            Assert.True(cspViolations.Count == 0, "CSP violations: " + string.Join(" | ", cspViolations));
        }, () => current, "guide");
    }

    private static ILocator Section(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Portal sections" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static async Task ExpectStepDoneAsync(IPage page, string milestone) =>
        await Expect(page.Locator($"#setup-checklist li[data-milestone={milestone}]")).ToHaveClassAsync(new Regex("step-done"));

    /// <summary>The log and the recompute lag by seconds; the page shows them after a reload.</summary>
    private static async Task RetryUntilAsync(ILocator reload, ILocator wanted)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await wanted.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            await reload.ClickAsync();
            await reload.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        await Expect(wanted.First).ToBeVisibleAsync();
    }

    internal static void WatchForCspViolations(IPage page, List<string> violations)
    {
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(message.Text);
        };
        page.PageError += (_, error) => violations.Add("page error: " + error);
    }

    /// <summary>A user as OneLogin's default SCIM JSON Template sends it: legacy URNs, strings, an emails object.</summary>
    private static JsonObject OneLoginUser(string userName) => JsonNode.Parse($$"""
        {
          "schemas": ["urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:2.0"],
          "id": null,
          "userName": "{{userName}}",
          "name": { "givenName": "Kitty", "familyName": "Flake" },
          "emails": { "value": "{{userName}}", "type": "work" },
          "active": "true"
        }
        """)!.AsObject();
}
