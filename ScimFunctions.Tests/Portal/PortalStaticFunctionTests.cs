using System.Net;
using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.Portal;

/// <summary>The embedded page and files, and the security headers on every /portal answer: files, API, errors.</summary>
public sealed class PortalStaticFunctionTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    [Theory]
    [InlineData("/portal")]
    [InlineData("/portal/")]
    [InlineData("/portal/index.html")]
    public async Task The_index_is_served_with_the_security_headers(string path)
    {
        var response = (await fixture.NewClient().GetAsync(path)).Expect(HttpStatusCode.OK);
        Assert.Equal("text/html", response.Message.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", response.Text);
        PortalHeadersAssert.Secured(response);
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.NotNull(response.Message.Headers.ETag);
    }

    [Fact]
    public async Task A_known_etag_answers_not_modified_and_unknown_paths_a_plain_404()
    {
        var client = fixture.NewClient();
        var first = await client.GetAsync("/portal/index.html");
        var again = await client.SendAsync(HttpMethod.Get, "/portal/index.html", configure: request => request.Headers.IfNoneMatch.Add(first.Message.Headers.ETag!));
        again.Expect(HttpStatusCode.NotModified);
        PortalHeadersAssert.Secured(again);

        foreach (var path in new[] { "/portal/nothing-here.js", "/portal/..%2fhost.json", "/portal/wwwroot/index.html", "/portal/index.html/x" })
        {
            var missing = (await client.GetAsync(path)).Expect(HttpStatusCode.NotFound);
            Assert.Equal("text/plain", missing.Message.Content.Headers.ContentType?.MediaType);
            PortalHeadersAssert.Secured(missing);
        }
    }

    [Fact]
    public async Task Api_answers_and_errors_carry_the_headers_and_no_store()
    {
        var client = fixture.NewClient();
        var unknown = (await client.GetAsync("/portal/api/nothing")).Expect(HttpStatusCode.NotFound);
        Assert.Equal("not_found", unknown.Error);
        var refused = (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.Unauthorized);
        var csrf = (await client.SendAsync(HttpMethod.Post, "/portal/api/session", new JsonObject(), csrfHeader: false)).Expect(HttpStatusCode.Forbidden);
        var bad = (await client.SendAsync(HttpMethod.Post, "/portal/api/session", rawBody: "{")).Expect(HttpStatusCode.BadRequest);
        foreach (var response in new[] { unknown, refused, csrf, bad })
        {
            PortalHeadersAssert.Secured(response);
            Assert.Equal("no-store", response.Header("Cache-Control"));
        }
    }

    [Fact]
    public async Task Frame_ancestors_follow_the_directory_allowlist()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        await fixture.ManageAsync(HttpMethod.Patch, $"/manage/directories/{directoryId}", new { portalFrameAncestors = new[] { "http://app.example.com" } }, HttpStatusCode.BadRequest);
        await fixture.ManageAsync(HttpMethod.Patch, $"/manage/directories/{directoryId}", new { portalFrameAncestors = new[] { "https://*.example.com" } }, HttpStatusCode.BadRequest);
        await fixture.ManageAsync(HttpMethod.Patch, $"/manage/directories/{directoryId}", new { portalFrameAncestors = new[] { "https://app.example.com/path" } }, HttpStatusCode.BadRequest);
        await fixture.ManageAsync(HttpMethod.Patch, $"/manage/directories/{directoryId}", new { portalFrameAncestors = "https://app.example.com" }, HttpStatusCode.BadRequest);
        var patched = await fixture.ManageAsync(HttpMethod.Patch, $"/manage/directories/{directoryId}",
            new { portalFrameAncestors = new[] { "https://App.Example.com/", "https://admin.example.com:8443" } });
        Assert.Equal(["https://app.example.com", "https://admin.example.com:8443"], patched["portalFrameAncestors"]!.AsArray().Select(o => (string)o!));
        const string allowed = "https://app.example.com https://admin.example.com:8443";

        PortalHeadersAssert.Secured((await fixture.NewClient().GetAsync($"/portal/?d={directoryId}")).Expect(HttpStatusCode.OK), allowed);
        var client = await fixture.SignedInAsync(directoryId);
        var page = (await client.GetAsync("/portal/")).Expect(HttpStatusCode.OK);
        PortalHeadersAssert.Secured(page, allowed);
        Assert.Null(page.Header("X-Frame-Options"));
        PortalHeadersAssert.Secured((await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.OK), allowed);

        var other = await fixture.SignedInAsync(await fixture.NewDirectoryAsync());
        PortalHeadersAssert.Secured((await other.GetAsync($"/portal/?d={directoryId}")).Expect(HttpStatusCode.OK));

        await fixture.ManageAsync(HttpMethod.Patch, $"/manage/directories/{directoryId}", new { portalFrameAncestors = Array.Empty<string>() });
        PortalHeadersAssert.Secured((await client.GetAsync("/portal/")).Expect(HttpStatusCode.OK));
    }
}
