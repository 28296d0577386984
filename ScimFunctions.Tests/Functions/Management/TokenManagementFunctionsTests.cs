using ScimFunctions.Auth;
using ScimFunctions.Functions.Management;
using ScimFunctions.Tests.Auth;

namespace ScimFunctions.Tests.Functions.Management;

public sealed class TokenManagementFunctionsTests : IAsyncLifetime
{
    private readonly AuthHarness harness = new();
    private readonly TokenManagementFunctions functions;

    public TokenManagementFunctionsTests() => functions = harness.Create<TokenManagementFunctions>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private async Task<Http.Executed> MintAsync(string directoryId, string body)
    {
        var request = Http.Request(body: body);
        return await Http.ExecuteAsync(await functions.CreateToken(request, directoryId, CancellationToken.None), request);
    }

    [Fact]
    public async Task Create_answers_the_token_once_with_the_scim_base_url_and_the_token_works()
    {
        var directory = await harness.NewDirectoryAsync();

        var created = await MintAsync(directory.Id, """{"label":"OneLogin prod","expiresAt":"2031-01-01T00:00:00Z"}""");

        Assert.Equal(201, created.Status);
        Assert.Equal("no-store", created.Headers["Cache-Control"]);
        var token = created.Json!["token"]!.GetValue<string>();
        Assert.True(ScimToken.TryParseTokenId(token, out var tokenId));
        Assert.Equal(tokenId, created.Json!["id"]!.GetValue<string>());
        Assert.Equal("OneLogin prod", created.Json!["label"]!.GetValue<string>());
        Assert.Equal("2031-01-01T00:00:00.000Z", created.Json!["expiresAt"]!.GetValue<string>());
        Assert.Equal($"https://scim.test.example/scim/{directory.Id}/v2", created.Json!["scimBaseUrl"]!.GetValue<string>());
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + token)).Succeeded);
    }

    [Fact]
    public async Task Listing_shows_metadata_only_and_never_reads_the_vault()
    {
        var directory = await harness.NewDirectoryAsync();
        var token = (await MintAsync(directory.Id, """{"label":"first"}""")).Json!["token"]!.GetValue<string>();
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await MintAsync(directory.Id, """{"label":"second"}""");

        var listed = await Http.ExecuteAsync(await functions.ListTokens(Http.Request(), directory.Id, CancellationToken.None));

        Assert.Equal(200, listed.Status);
        var tokens = listed.Json!["tokens"]!.AsArray();
        Assert.Equal(["first", "second"], tokens.Select(t => t!["label"]!.GetValue<string>()));
        Assert.All(tokens, t => Assert.Equal("active", t!["status"]!.GetValue<string>()));
        Assert.DoesNotContain(token[(ScimToken.Prefix.Length + ScimToken.TokenIdLength + 1)..], listed.Text);
        Assert.DoesNotContain(Convert.ToHexStringLower(ScimToken.Hash(token)), listed.Text);
        Assert.Equal(0, harness.Vault.Reads);
    }

    [Fact]
    public async Task Several_tokens_work_side_by_side_and_revoking_one_leaves_the_other()
    {
        var directory = await harness.NewDirectoryAsync();
        var old = (await MintAsync(directory.Id, """{"label":"old"}""")).Json!;
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var fresh = (await MintAsync(directory.Id, """{"label":"new"}""")).Json!;

        var revoked = await Http.ExecuteAsync(await functions.RevokeToken(Http.Request(), directory.Id, old["id"]!.GetValue<string>(), CancellationToken.None));

        Assert.Equal(204, revoked.Status);
        Assert.False((await harness.AuthenticateAsync(directory.Id, "Bearer " + old["token"]!.GetValue<string>())).Succeeded);
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + fresh["token"]!.GetValue<string>())).Succeeded);
        var listed = await Http.ExecuteAsync(await functions.ListTokens(Http.Request(), directory.Id, CancellationToken.None));
        Assert.Equal(["revoked", "active"], listed.Json!["tokens"]!.AsArray().Select(t => t!["status"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"label":""}""")]
    [InlineData("""{"label":"x","expiresAt":"tomorrow"}""")]
    [InlineData("""{"label":"x","expiresAt":"2020-01-01T00:00:00Z"}""")]
    [InlineData("""{"label":"x","expiresAt":20310101}""")]
    [InlineData("""not json""")]
    public async Task Bad_create_bodies_get_400_and_mint_nothing(string body)
    {
        var directory = await harness.NewDirectoryAsync();

        var response = await MintAsync(directory.Id, body);

        Assert.Equal(400, response.Status);
        Assert.Empty(harness.Vault.Written);
        Assert.Empty(await harness.Tokens.ListAsync(directory.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_label_longer_than_allowed_is_refused()
    {
        var directory = await harness.NewDirectoryAsync();

        var response = await MintAsync(directory.Id, $$"""{"label":"{{new string('x', TokenMetadata.MaxLabelLength + 1)}}"}""");

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task Vault_unavailable_while_minting_answers_503_and_leaves_no_listed_token()
    {
        var directory = await harness.NewDirectoryAsync();
        harness.Vault.WriteFault = new Azure.RequestFailedException(503, "down");

        var response = await MintAsync(directory.Id, """{"label":"x"}""");

        Assert.Equal(503, response.Status);
        Assert.True(response.Headers.ContainsKey("Retry-After"));
        Assert.Empty(await harness.Tokens.ListAsync(directory.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_directories_and_tokens_get_404()
    {
        var directory = await harness.NewDirectoryAsync();
        var other = await harness.NewDirectoryAsync();
        var tokenOfOther = (await MintAsync(other.Id, """{"label":"x"}""")).Json!["id"]!.GetValue<string>();

        Assert.Equal(404, (await MintAsync("nosuchdirectory", """{"label":"x"}""")).Status);
        Assert.Equal(404, (await Http.ExecuteAsync(await functions.ListTokens(Http.Request(), "nosuchdirectory", CancellationToken.None))).Status);
        Assert.Equal(404, (await Http.ExecuteAsync(await functions.RevokeToken(Http.Request(), directory.Id, tokenOfOther, CancellationToken.None))).Status);
        Assert.Equal(404, (await Http.ExecuteAsync(await functions.RevokeToken(Http.Request(), directory.Id, "../../x", CancellationToken.None))).Status);
        Assert.Single(harness.Vault.Secrets);
    }

    [Fact]
    public async Task A_deleted_directory_accepts_no_new_tokens()
    {
        var directory = await harness.NewDirectoryAsync();
        await harness.Directories.DeleteAsync(directory.Id, CancellationToken.None);

        Assert.Equal(404, (await MintAsync(directory.Id, """{"label":"x"}""")).Status);
        Assert.Empty(harness.Vault.Written);
    }
}
