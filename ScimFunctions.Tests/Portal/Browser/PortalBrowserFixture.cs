using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ScimFunctions.Tests.EndToEnd;
using ScimFunctions.Tests.Infra;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Portal.Browser;

/// <summary>
/// One local host (real functions, queue listeners on so roles are recomputed) and one headless system Chromium
/// per test class. Management calls go over HTTP with the function key, as the operator's tooling would.
/// </summary>
public sealed class PortalBrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public RunningLocalHost Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory => Path.Combine(RepositoryFiles.Root, "artifacts", "screenshots");
    public static string AxeScript => Path.Combine(RepositoryFiles.Root, "node_modules", "axe-core", "axe.min.js");

    public async Task InitializeAsync()
    {
        var executable = BrowserExecutable.Find();
        // axe-core is a dev dependency beside Azurite: a checkout installed before it was added gets it now.
        ScimFunctions.LocalHost.AzuriteInstallation.EnsureDevDependencies(RepositoryFiles.Root, TextWriter.Null);
        Host = await RunningLocalHost.StartAsync(options => options.RunTimers = false);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
        Directory.CreateDirectory(ScreenshotDirectory);
        // The request log and the role recompute lag by seconds; the pages show them on their next poll.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
    }

    public Task<IBrowserContext> NewContextAsync(bool bypassCsp = false) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString(),
            BypassCSP = bypassCsp,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });

    public async Task<JsonNode?> ManageAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", Host.FunctionKey);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>An operator link (all directories), minted through the management API.</summary>
    public async Task<string> OperatorLinkAsync()
    {
        var link = await ManageAsync(HttpMethod.Post, "/manage/portal-links", new JsonObject { ["scopes"] = new JsonArray("operator") });
        return link!["url"]!.GetValue<string>();
    }

    /// <summary>Opens a portal link and selects Continue, as the admin does.</summary>
    public static async Task RedeemAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForFunctionAsync("() => !location.hash.startsWith('#link=')");
    }

    public ScimClient Scim(string directoryId, string token) => new(Host.Client, directoryId, token);

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Runs a browser walk; on failure the page is saved next to the screenshots, to see what it showed.</summary>
    public static async Task CapturingFailureAsync(Func<Task> walk, Func<IPage?> page, string name)
    {
        try
        {
            await walk();
        }
        catch
        {
            if (page() is { IsClosed: false } shown) await ScreenshotAsync(shown, "failed-" + name);
            throw;
        }
    }
}
