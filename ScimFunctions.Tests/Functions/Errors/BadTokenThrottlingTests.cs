using System.Net;
using ScimFunctions.Auth;
using ScimFunctions.Functions.Http;
using ScimFunctions.Tests.Activity;
using ScimFunctions.Tests.EndToEnd;

namespace ScimFunctions.Tests.Functions.Errors;

/// <summary>Repeated bad bearer tokens over HTTP: 429 with Retry-After past the limit, valid tokens untouched.</summary>
public sealed class BadTokenThrottlingTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    [Fact]
    public async Task Bad_tokens_past_the_limit_answer_429_while_the_valid_token_and_other_directories_work()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var other = await fixture.NewDirectoryAsync("Okta");
        var limit = new ScimAuthOptions().AuthFailureLimit;

        for (var i = 0; i < limit; i++)
        {
            (await fixture.Host.SendWithTokenAsync(scim.DirectoryId, "guess-" + i, HttpMethod.Get, "/Users")).Expect(HttpStatusCode.Unauthorized);
        }
        var throttled = await fixture.Host.SendWithTokenAsync(scim.DirectoryId, "guess-again", HttpMethod.Get, "/Users");

        Assert.Equal((HttpStatusCode)429, throttled.Status);
        Assert.True(throttled.Message.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 and <= 60 });
        Assert.Equal("429", throttled.Body!["status"]!.GetValue<string>());
        Assert.Equal(ErrorMapper.TooManyBadTokensDetail, throttled.Body!["detail"]!.GetValue<string>());
        Assert.Equal("application/scim+json", throttled.MediaType);
        // The directory's IdP, with its valid token from the same address, is never refused.
        (await scim.GetAsync("/Users")).Expect(HttpStatusCode.OK);
        (await scim.PostAsync("/Users", new System.Text.Json.Nodes.JsonObject { ["userName"] = "still@example.test" })).Expect(HttpStatusCode.Created);
        // Another directory's window is its own.
        (await fixture.Host.SendWithTokenAsync(other.DirectoryId, "guess", HttpMethod.Get, "/Users")).Expect(HttpStatusCode.Unauthorized);
        (await fixture.Host.SendWithTokenAsync(scim.DirectoryId, "guess-more", HttpMethod.Get, "/Users")).Expect((HttpStatusCode)429);
    }
}
