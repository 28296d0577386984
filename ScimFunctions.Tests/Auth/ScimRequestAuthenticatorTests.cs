using Azure;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Auth;
using ScimFunctions.Directories;

namespace ScimFunctions.Tests.Auth;

public sealed class ScimRequestAuthenticatorTests : IAsyncLifetime
{
    private readonly AuthHarness harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_freshly_minted_token_authenticates_for_its_directory()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);

        var result = await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token);

        Assert.True(result.Succeeded);
        Assert.Equal(directory.Id, result.DirectoryId);
        Assert.Equal(minted.Metadata.TokenId, result.TokenId);
    }

    [Fact]
    public async Task Minting_stores_the_sha256_hash_with_tags_and_never_the_token()
    {
        var directory = await harness.NewDirectoryAsync();
        var expires = harness.Time.GetUtcNow().AddDays(90);
        var minted = await harness.MintAsync(directory.Id, expires);

        var written = Assert.Single(harness.Vault.Written);
        Assert.Equal($"scimtoken-{directory.Id}-{minted.Metadata.TokenId}", written.Name);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(minted.Token))), written.Value);
        Assert.DoesNotContain(minted.Token, written.Value);
        Assert.All(written.Properties.Tags.Values, v => Assert.DoesNotContain(minted.Token, v));
        Assert.Equal(directory.Id, written.Properties.Tags["directory"]);
        Assert.Equal("OneLogin production", written.Properties.Tags["label"]);
        Assert.True(written.Properties.Tags.ContainsKey("created"));
        Assert.Equal(expires, DateTimeOffset.Parse(written.Properties.Tags["expires"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expires, written.Properties.ExpiresOn);
        Assert.True(written.Properties.Enabled);
    }

    [Fact]
    public async Task A_cache_hit_makes_no_second_vault_read()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);

        for (var i = 0; i < 5; i++) Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);
        harness.Time.Advance(harness.Options.TokenCacheLifetime - TimeSpan.FromSeconds(1));
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);

        Assert.Equal(1, harness.Vault.Reads);
    }

    [Fact]
    public async Task The_vault_is_read_again_after_the_cache_lifetime()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token);

        harness.Time.Advance(harness.Options.TokenCacheLifetime);
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);

        Assert.Equal(2, harness.Vault.Reads);
    }

    [Fact]
    public async Task Concurrent_misses_for_one_token_make_one_vault_read()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        harness.Vault.ReadGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 25).Select(_ => Task.Run(() => harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token))).ToList();
        await WaitUntil(() => harness.Vault.Reads >= 1);
        harness.Vault.ReadGate.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(1, harness.Vault.Reads);
    }

    public static TheoryData<string> VaultFaults => new() { "500", "503", "429", "timeout", "network", "credential" };

    private static Exception Fault(string kind) => kind switch
    {
        "500" => new RequestFailedException(500, "Internal error"),
        "503" => new RequestFailedException(503, "Service unavailable"),
        "429" => new RequestFailedException(429, "Too many requests", "Throttled", null),
        "timeout" => new TaskCanceledException("The operation was cancelled because it exceeded the network timeout."),
        "network" => new RequestFailedException("No such host is known.", new HttpRequestException("No such host is known.")),
        _ => new AuthenticationFailedException("ManagedIdentityCredential authentication failed."),
    };

    [Theory]
    [MemberData(nameof(VaultFaults))]
    public async Task Vault_failure_answers_503_with_retry_after_for_an_uncached_token(string fault)
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        harness.Vault.ReadFault = Fault(fault);

        var result = await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token);

        Assert.False(result.Succeeded);
        var response = await Http.ExecuteAsync(harness.Refusal(result));
        Assert.Equal(503, response.Status);
        Assert.Equal("10", response.Headers["Retry-After"]);
        Assert.Equal("503", response.Json!["status"]!.GetValue<string>());
        Assert.Equal(ScimFunctions.Functions.Http.ScimResult.ErrorSchema, response.Json!["schemas"]![0]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(VaultFaults))]
    public async Task Vault_failure_leaves_cached_tokens_working(string fault)
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);
        harness.Vault.ReadFault = Fault(fault);

        var result = await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task After_a_vault_outage_the_next_request_reads_again_and_succeeds()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        harness.Vault.ReadFault = new RequestFailedException(500, "down");
        Assert.False((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);

        harness.Vault.ReadFault = null;

        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);
    }

    [Fact]
    public async Task A_token_revoked_elsewhere_keeps_working_until_the_cache_lifetime_then_gets_401()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);

        // Another instance revoked it: the secret is gone, this instance's cache does not know yet.
        harness.Vault.RemoveBehindTheAppsBack(KeyVaultTokenHashStore.SecretName(directory.Id, minted.Metadata.TokenId));
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);
        harness.Time.Advance(harness.Options.TokenCacheLifetime);

        await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token));
    }

    [Fact]
    public async Task A_token_revoked_on_this_instance_is_refused_at_once()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);

        Assert.True(await harness.Tokens.RevokeAsync(directory.Id, minted.Metadata.TokenId, CancellationToken.None));

        await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token));
        Assert.Empty(harness.Vault.Secrets);
    }

    [Fact]
    public async Task An_expired_token_gets_401_even_while_cached()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id, harness.Time.GetUtcNow().AddMinutes(1));
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);

        harness.Time.Advance(TimeSpan.FromMinutes(1));

        await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token));
        Assert.Equal(1, harness.Vault.Reads);
    }

    [Fact]
    public async Task A_disabled_secret_gets_401()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        harness.Vault.Secrets[KeyVaultTokenHashStore.SecretName(directory.Id, minted.Metadata.TokenId)].Properties.Enabled = false;

        await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token));
    }

    [Fact]
    public async Task A_token_of_directory_A_on_directory_B_gets_401_with_nothing_of_B()
    {
        var a = await harness.NewDirectoryAsync("Alpha Corp");
        var b = await harness.NewDirectoryAsync("Bravo Secret Corp");
        var tokenOfA = await harness.MintAsync(a.Id);
        await harness.MintAsync(b.Id);

        var result = await harness.AuthenticateAsync(b.Id, "Bearer " + tokenOfA.Token);

        var response = await AssertUnauthorized(result);
        Assert.DoesNotContain("Bravo", response.Text);
        Assert.DoesNotContain(b.Id, response.Text);
    }

    [Fact]
    public async Task A_hash_stored_under_B_but_tagged_for_A_is_refused()
    {
        var a = await harness.NewDirectoryAsync();
        var b = await harness.NewDirectoryAsync();
        var tokenOfA = await harness.MintAsync(a.Id);
        // A vault entry copied under B's name keeps A's directory tag: the tag check must still refuse it.
        var copied = harness.Vault.Secrets[KeyVaultTokenHashStore.SecretName(a.Id, tokenOfA.Metadata.TokenId)];
        var misplaced = new Azure.Security.KeyVault.Secrets.KeyVaultSecret(KeyVaultTokenHashStore.SecretName(b.Id, tokenOfA.Metadata.TokenId), copied.Value);
        misplaced.Properties.Enabled = true;
        misplaced.Properties.Tags["directory"] = a.Id;
        await harness.Vault.Client.Object.SetSecretAsync(misplaced);

        await AssertUnauthorized(await harness.AuthenticateAsync(b.Id, "Bearer " + tokenOfA.Token));
        Assert.True((await harness.AuthenticateAsync(a.Id, "Bearer " + tokenOfA.Token)).Succeeded);
    }

    [Fact]
    public async Task Every_credential_failure_answers_the_same_401()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        var (otherId, forged) = ScimToken.Mint();
        var wrongSecret = minted.Token[..^4] + (minted.Token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var presented = new[]
        {
            null, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer " + forged, "Bearer not-a-token",
            "Bearer " + wrongSecret, "Bearer " + minted.Token + "x", "Bearer scimf_" + otherId,
        };

        var bodies = new HashSet<string>();
        foreach (var authorization in presented)
        {
            var response = await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, authorization));
            bodies.Add(response.Text);
        }
        Assert.Single(bodies);
    }

    [Fact]
    public async Task The_bearer_scheme_is_case_insensitive()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);

        Assert.True((await harness.AuthenticateAsync(directory.Id, "bearer " + minted.Token)).Succeeded);
    }

    [Fact]
    public async Task An_unknown_token_is_remembered_briefly_so_repeats_cost_no_vault_read()
    {
        var directory = await harness.NewDirectoryAsync();
        var (_, unknown) = ScimToken.Mint();

        for (var i = 0; i < 10; i++) await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer " + unknown));
        Assert.Equal(1, harness.Vault.Reads);

        harness.Time.Advance(harness.Options.NegativeCacheLifetime);
        await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer " + unknown));
        Assert.Equal(2, harness.Vault.Reads);
    }

    [Fact]
    public async Task A_flood_of_distinct_unknown_tokens_does_not_grow_the_cache_past_its_capacity()
    {
        await using var small = new AuthHarness(o => o.CacheCapacity = 20);
        var directory = await small.NewDirectoryAsync();
        var minted = await small.MintAsync(directory.Id);

        for (var i = 0; i < 200; i++) await small.AuthenticateAsync(directory.Id, "Bearer " + ScimToken.Mint().Token);

        Assert.InRange(small.Services.GetRequiredService<AuthCaches>().Tokens.Count, 1, 21);
        Assert.True((await small.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);
    }

    [Fact]
    public async Task Malformed_tokens_never_reach_the_vault()
    {
        var directory = await harness.NewDirectoryAsync();

        await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer scimf_garbage"));
        await AssertUnauthorized(await harness.AuthenticateAsync("../etc", "Bearer " + ScimToken.Mint().Token));

        Assert.Equal(0, harness.Vault.Reads);
    }

    [Fact]
    public async Task A_disabled_directory_gets_403_and_works_again_when_enabled()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        await harness.Directories.SetEnabledAsync(directory.Id, enabled: false, CancellationToken.None);

        var result = await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token);

        Assert.False(result.Succeeded);
        var response = await Http.ExecuteAsync(harness.Refusal(result));
        Assert.Equal(403, response.Status);
        Assert.Equal("403", response.Json!["status"]!.GetValue<string>());
        await harness.Directories.SetEnabledAsync(directory.Id, enabled: true, CancellationToken.None);
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);
    }

    [Fact]
    public async Task A_disabled_directory_does_not_reveal_itself_to_a_bad_token()
    {
        var directory = await harness.NewDirectoryAsync();
        await harness.Directories.SetEnabledAsync(directory.Id, enabled: false, CancellationToken.None);

        await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer " + ScimToken.Mint().Token));
    }

    [Fact]
    public async Task A_deleted_directory_refuses_its_tokens_at_once()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        Assert.True((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);

        Assert.True(await harness.Directories.DeleteAsync(directory.Id, CancellationToken.None));

        await AssertUnauthorized(await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token));
        Assert.Empty(harness.Vault.Secrets);
    }

    [Fact]
    public async Task A_cancelled_caller_does_not_break_the_shared_read_for_others()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        harness.Vault.ReadGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();

        var cancelled = harness.Authenticator.AuthenticateAsync(Http.Request("Bearer " + minted.Token).Headers.Authorization, directory.Id, cancel.Token);
        var patient = harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token);
        await WaitUntil(() => harness.Vault.Reads >= 1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        harness.Vault.ReadGate.SetResult();

        Assert.True((await patient).Succeeded);
        Assert.Equal(1, harness.Vault.Reads);
    }

    private async Task<Http.Executed> AssertUnauthorized(ScimAuthOutcome result)
    {
        Assert.False(result.Succeeded);
        var response = await Http.ExecuteAsync(harness.Refusal(result));
        Assert.Equal(401, response.Status);
        Assert.Equal("Bearer", response.Headers["WWW-Authenticate"]);
        Assert.Equal("401", response.Json!["status"]!.GetValue<string>());
        Assert.Equal(ScimFunctions.Functions.Http.ErrorMapper.UnauthorizedDetail, response.Json!["detail"]!.GetValue<string>());
        Assert.StartsWith("application/scim+json", response.ContentType);
        return response;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(10, timeout.Token);
    }
}
