using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Portal;

namespace ScimFunctions.Tests.Portal;

/// <summary>Links and sessions over HTTP: redeem, cookie, sliding expiry, expiry and revocation of the link, CSRF,
/// and that no stored row holds a secret.</summary>
public sealed class PortalSessionTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    [Fact]
    public async Task Redeeming_a_link_starts_a_session_bound_to_its_directory_and_scopes()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        var client = fixture.NewClient();
        var redeemed = (await client.RedeemAsync(await fixture.LinkSecretAsync(directoryId, new { scopes = new[] { "activity", "setup" } })))
            .Expect(HttpStatusCode.OK);

        var cookie = redeemed.Header("Set-Cookie")!;
        Assert.StartsWith("scim_portal=", cookie);
        Assert.Contains("HttpOnly", cookie);
        Assert.Contains("SameSite=Strict", cookie);
        Assert.Contains("Path=/portal", cookie);
        Assert.DoesNotContain("Secure", cookie); // plain http on the loopback address
        Assert.Equal(directoryId, (string?)redeemed.Body!["directoryId"]);
        Assert.False((bool)redeemed.Body!["operator"]!);
        Assert.Equal(["setup", "activity"], redeemed.Body!["scopes"]!.AsArray().Select(s => (string)s!));

        var session = (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.OK);
        Assert.Equal(directoryId, (string?)session.Body!["directoryId"]);
        Assert.Equal("no-store", session.Header("Cache-Control"));
    }

    [Fact]
    public async Task Without_a_cookie_the_session_is_required_and_an_ended_session_stays_ended()
    {
        var anonymous = fixture.NewClient();
        Assert.Equal("session_required", (await anonymous.GetAsync("/portal/api/session")).Expect(HttpStatusCode.Unauthorized).Error);

        var client = await fixture.SignedInAsync(await fixture.NewDirectoryAsync());
        var cookie = client.Cookie;
        var ended = (await client.SendAsync(HttpMethod.Delete, "/portal/api/session")).Expect(HttpStatusCode.NoContent);
        Assert.Contains("Max-Age=0", ended.Header("Set-Cookie"));
        client.Cookie = cookie;
        (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_operator_link_opens_an_operator_session()
    {
        var client = await fixture.SignedInAsync(null);
        var session = (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.OK);
        Assert.True((bool)session.Body!["operator"]!);
        Assert.Null((string?)session.Body!["directoryId"]);
    }

    [Fact]
    public async Task A_revoked_link_is_refused_and_its_sessions_end()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        var secret = await fixture.LinkSecretAsync(directoryId);
        var client = fixture.NewClient();
        (await client.RedeemAsync(secret)).Expect(HttpStatusCode.OK);
        var links = await fixture.ManageAsync(HttpMethod.Get, $"/manage/directories/{directoryId}/portal-links");
        var link = links["links"]!.AsArray().Single()!;
        Assert.NotNull((string?)link["lastRedeemedAt"]);
        Assert.Null(link["url"]);

        await fixture.ManageAsync(HttpMethod.Delete, $"/manage/directories/{directoryId}/portal-links/{link["id"]}", expected: HttpStatusCode.NoContent);

        (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.Unauthorized);
        var again = (await fixture.NewClient().RedeemAsync(secret)).Expect(HttpStatusCode.Unauthorized);
        Assert.Equal("link_invalid", again.Error);
        Assert.False(string.IsNullOrWhiteSpace((string?)again.Body!["message"]));
        var listed = await fixture.ManageAsync(HttpMethod.Get, $"/manage/directories/{directoryId}/portal-links");
        Assert.NotNull((string?)listed["links"]![0]!["revokedAt"]);
    }

    [Fact]
    public async Task A_link_redeems_more_than_once_until_it_expires_and_its_sessions_end_with_it()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        var secret = await fixture.LinkSecretAsync(directoryId, new { lifetimeHours = 2 });
        var first = fixture.NewClient();
        (await first.RedeemAsync(secret)).Expect(HttpStatusCode.OK);
        (await fixture.NewClient().RedeemAsync(secret)).Expect(HttpStatusCode.OK);

        fixture.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        Assert.Equal("link_invalid", (await fixture.NewClient().RedeemAsync(secret)).Expect(HttpStatusCode.Unauthorized).Error);
        (await first.GetAsync("/portal/api/session")).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_session_slides_while_used_and_ends_after_eight_idle_hours()
    {
        var client = await fixture.SignedInAsync(await fixture.NewDirectoryAsync(), new { lifetimeHours = 720 });
        for (var i = 0; i < 3; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromHours(7));
            (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.OK);
        }
        fixture.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unknown_malformed_and_missing_links_are_refused_without_a_server_error()
    {
        var client = fixture.NewClient();
        var secret = await fixture.LinkSecretAsync(await fixture.NewDirectoryAsync());
        var tampered = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');
        Assert.Equal("link_invalid", (await client.RedeemAsync(tampered)).Expect(HttpStatusCode.Unauthorized).Error);
        Assert.Equal("link_invalid", (await client.RedeemAsync("not-a-link")).Expect(HttpStatusCode.Unauthorized).Error);
        Assert.Equal("link_invalid", (await client.SendAsync(HttpMethod.Post, "/portal/api/session", new JsonObject())).Expect(HttpStatusCode.Unauthorized).Error);
        Assert.Equal("invalid", (await client.SendAsync(HttpMethod.Post, "/portal/api/session", rawBody: "{\"link\":")).Expect(HttpStatusCode.BadRequest).Error);
        Assert.Equal("invalid", (await client.SendAsync(HttpMethod.Post, "/portal/api/session", new JsonObject { ["link"] = 42 })).Expect(HttpStatusCode.BadRequest).Error);
        Assert.Equal("invalid", (await client.SendAsync(HttpMethod.Post, "/portal/api/session", rawBody: "[1,2]")).Expect(HttpStatusCode.BadRequest).Error);
        var huge = "{\"link\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        Assert.Equal("invalid", (await client.SendAsync(HttpMethod.Post, "/portal/api/session", rawBody: huge)).Expect(HttpStatusCode.BadRequest).Error);
        client.Cookie = "scim_portal=" + new string('x', 3000);
        (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Mutations_without_the_portal_header_are_refused_as_csrf()
    {
        var secret = await fixture.LinkSecretAsync(await fixture.NewDirectoryAsync());
        var client = fixture.NewClient();
        var refused = (await client.SendAsync(HttpMethod.Post, "/portal/api/session", new JsonObject { ["link"] = secret }, csrfHeader: false)).Expect(HttpStatusCode.Forbidden);
        Assert.Equal("csrf", refused.Error);
        Assert.Null(client.Cookie);

        (await client.RedeemAsync(secret)).Expect(HttpStatusCode.OK);
        Assert.Equal("csrf", (await client.SendAsync(HttpMethod.Delete, "/portal/api/session", csrfHeader: false)).Expect(HttpStatusCode.Forbidden).Error);
        (await client.GetAsync("/portal/api/session")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Management_refuses_bad_link_requests()
    {
        var directoryId = await fixture.NewDirectoryAsync();
        await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{directoryId}/portal-links", new { lifetimeHours = 0 }, HttpStatusCode.BadRequest);
        await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{directoryId}/portal-links", new { lifetimeHours = 721 }, HttpStatusCode.BadRequest);
        await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{directoryId}/portal-links", new { scopes = new[] { "operator" } }, HttpStatusCode.BadRequest);
        await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{directoryId}/portal-links", new { scopes = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        await fixture.ManageAsync(HttpMethod.Post, "/manage/portal-links", new { scopes = new[] { "setup" } }, HttpStatusCode.BadRequest);
        await fixture.ManageAsync(HttpMethod.Post, "/manage/directories/nosuchdirectory/portal-links", new { }, HttpStatusCode.NotFound);
        await fixture.ManageAsync(HttpMethod.Delete, $"/manage/directories/{directoryId}/portal-links/{new string('a', 32)}", expected: HttpStatusCode.NotFound);
        await fixture.ManageAsync(HttpMethod.Delete, $"/manage/directories/{directoryId}/portal-links/x", expected: HttpStatusCode.NotFound);

        var minted = await fixture.ManageAsync(HttpMethod.Post, $"/manage/directories/{directoryId}/portal-links", new { }, HttpStatusCode.Created);
        Assert.Equal(PortalScopes.DirectoryScopes, minted["scopes"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(directoryId, (string?)minted["directoryId"]);
        var hours = (DateTimeOffset.Parse((string)minted["expiresAt"]!) - DateTimeOffset.Parse((string)minted["createdAt"]!)).TotalHours;
        Assert.Equal(168, hours, 3);
        Assert.StartsWith(fixture.Host.BaseAddress.ToString().TrimEnd('/') + "/portal/#link=", (string)minted["url"]!);
    }

    [Fact]
    public async Task No_stored_row_holds_a_link_or_session_secret()
    {
        var secret = await fixture.LinkSecretAsync(await fixture.NewDirectoryAsync());
        var client = fixture.NewClient();
        (await client.RedeemAsync(secret)).Expect(HttpStatusCode.OK);
        var sessionSecret = client.Cookie!["scim_portal=".Length..];
        var operatorSecret = await fixture.LinkSecretAsync(null);
        (await fixture.NewClient().RedeemAsync(operatorSecret)).Expect(HttpStatusCode.OK);

        var table = fixture.Host.Services.GetRequiredService<TableServiceClient>().GetTableClient(new PortalOptions().TableName);
        var stored = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            stored.Add(entity.PartitionKey + " " + entity.RowKey + " " + string.Join(" ", entity.Select(pair => pair.Value?.ToString())));
        }
        Assert.NotEmpty(stored);
        foreach (var text in new[] { secret, sessionSecret, operatorSecret })
        {
            var random = text.Split('.')[2];
            Assert.DoesNotContain(stored, row => row.Contains(random, StringComparison.Ordinal));
        }
    }
}
