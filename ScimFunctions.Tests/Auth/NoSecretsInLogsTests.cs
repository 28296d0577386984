using Azure;
using ScimFunctions.Auth;
using ScimFunctions.Functions.Management;

namespace ScimFunctions.Tests.Auth;

public sealed class NoSecretsInLogsTests : IAsyncLifetime
{
    private readonly AuthHarness harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Create_validate_reject_and_revoke_flows_log_neither_token_nor_hash()
    {
        var functions = harness.Create<TokenManagementFunctions>();
        var directory = await harness.NewDirectoryAsync();
        var other = await harness.NewDirectoryAsync();

        var created = await Http.ExecuteAsync(await functions.CreateToken(Http.Request(body: """{"label":"prod"}"""), directory.Id, CancellationToken.None));
        var token = created.Json!["token"]!.GetValue<string>();
        var tokenId = created.Json!["id"]!.GetValue<string>();
        var hash = ScimToken.Hash(token);
        var (_, forged) = ScimToken.Mint();
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        await harness.AuthenticateAsync(directory.Id, "Bearer " + token);
        await harness.AuthenticateAsync(other.Id, "Bearer " + token);
        await harness.AuthenticateAsync(directory.Id, "Bearer " + tampered);
        await harness.AuthenticateAsync(directory.Id, "Bearer " + forged);
        await harness.AuthenticateAsync(directory.Id, "Basic " + token);
        harness.Vault.ReadFault = new RequestFailedException(503, "Service unavailable");
        harness.Time.Advance(harness.Options.TokenCacheLifetime);
        await harness.AuthenticateAsync(directory.Id, "Bearer " + token);
        harness.Vault.ReadFault = null;
        await functions.RevokeToken(Http.Request(), directory.Id, tokenId, CancellationToken.None);
        await harness.AuthenticateAsync(directory.Id, "Bearer " + token);

        var secretsOfTheFlow = new[]
        {
            token, token[(ScimToken.Prefix.Length + ScimToken.TokenIdLength + 1)..], tampered, forged,
            Convert.ToHexString(hash), Convert.ToBase64String(hash),
        };
        Assert.NotEmpty(harness.Logs.Lines);
        Assert.Contains(harness.Logs.Lines, line => line.Contains(tokenId, StringComparison.Ordinal));
        foreach (var line in harness.Logs.Lines)
        {
            foreach (var secret in secretsOfTheFlow)
            {
                Assert.DoesNotContain(secret, line, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
