namespace ScimFunctions.Functions.Portal;

/// <summary>
/// The security headers of every <c>/portal</c> response, static or API, success or error, in one place. The
/// policy allows only the app's own scripts, styles and calls; frames only from the directory's allowlist.
/// </summary>
public static class PortalHeaders
{
    public const string NoFrames = "'none'";

    public static string ContentSecurityPolicy(string frameAncestors) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        $"form-action 'self'; base-uri 'none'; frame-ancestors {frameAncestors}";

    /// <summary>The headers for a response; <paramref name="frameAncestors"/> is <see cref="NoFrames"/> or space-separated origins.</summary>
    public static IEnumerable<(string Name, string Value)> For(string frameAncestors, bool api)
    {
        yield return ("Content-Security-Policy", ContentSecurityPolicy(frameAncestors));
        yield return ("Referrer-Policy", "no-referrer");
        yield return ("X-Content-Type-Options", "nosniff");
        yield return ("Cross-Origin-Opener-Policy", "same-origin");
        yield return ("Cross-Origin-Resource-Policy", "same-origin");
        yield return ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()");
        // Older browsers ignore frame-ancestors; without an allowlist they get the same answer this way.
        if (frameAncestors == NoFrames) yield return ("X-Frame-Options", "DENY");
        // API answers are personal; files are revalidated by ETag, so a new deployment shows at once.
        yield return ("Cache-Control", api ? "no-store" : "no-cache");
    }
}
