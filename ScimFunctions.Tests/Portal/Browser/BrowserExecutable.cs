namespace ScimFunctions.Tests.Portal.Browser;

/// <summary>The system Chromium the browser tests drive; Playwright's own browser downloads are never used.</summary>
internal static class BrowserExecutable
{
    public const string EnvironmentVariable = "PORTAL_BROWSER";

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{EnvironmentVariable} names '{configured}', which does not exist.");
        }
        return Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "The portal's browser tests need Chromium and found none at " + string.Join(" or ", Candidates)
                + $". Install it with `sudo apt-get install -y chromium`, or set {EnvironmentVariable} to a Chromium executable.");
    }
}
