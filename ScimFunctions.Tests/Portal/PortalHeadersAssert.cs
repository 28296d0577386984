namespace ScimFunctions.Tests.Portal;

/// <summary>The security headers every /portal response carries.</summary>
public static class PortalHeadersAssert
{
    public static void Secured(PortalResponse response, string frameAncestors = "'none'")
    {
        var csp = response.Header("Content-Security-Policy");
        Assert.NotNull(csp);
        foreach (var directive in new[] { "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "base-uri 'none'", "form-action 'self'" })
        {
            Assert.Contains(directive, csp);
        }
        Assert.EndsWith("frame-ancestors " + frameAncestors, csp);
        Assert.Equal("no-referrer", response.Header("Referrer-Policy"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("same-origin", response.Header("Cross-Origin-Opener-Policy"));
        Assert.NotNull(response.Header("Permissions-Policy"));
    }
}
