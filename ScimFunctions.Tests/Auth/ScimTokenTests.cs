using System.Text.RegularExpressions;
using ScimFunctions.Auth;

namespace ScimFunctions.Tests.Auth;

public sealed partial class ScimTokenTests
{
    [GeneratedRegex("^scimf_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$")]
    private static partial Regex ScannerPattern();

    [Fact]
    public void Minted_tokens_have_the_scannable_shape_and_carry_their_id()
    {
        var (tokenId, token) = ScimToken.Mint();

        Assert.Matches(ScannerPattern(), token);
        Assert.True(ScimToken.TryParseTokenId(token, out var parsed));
        Assert.Equal(tokenId, parsed);
    }

    [Fact]
    public void The_secret_part_carries_256_random_bits()
    {
        var (_, token) = ScimToken.Mint();
        var secret = token[(ScimToken.Prefix.Length + ScimToken.TokenIdLength + 1)..];
        var bytes = Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "=");

        Assert.Equal(32, bytes.Length);
    }

    [Fact]
    public void Minted_tokens_and_ids_do_not_repeat()
    {
        var minted = Enumerable.Range(0, 2000).Select(_ => ScimToken.Mint()).ToList();

        Assert.Equal(minted.Count, minted.Select(m => m.TokenId).Distinct().Count());
        Assert.Equal(minted.Count, minted.Select(m => m.Token[(ScimToken.Prefix.Length + ScimToken.TokenIdLength + 1)..]).Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("scimf_")]
    [InlineData("ghp_0123456789abcdef0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scimf_0123456789ABCDEF0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scimf_0123456789abcdef0123456789abcdef-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scimf_0123456789abcdef0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("scimf_0123456789abcdef0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_tokens_do_not_parse(string? token)
    {
        Assert.False(ScimToken.TryParseTokenId(token, out _));
    }

    [Fact]
    public void The_hash_is_sha256_of_the_utf8_token()
    {
        var (_, token) = ScimToken.Mint();

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)), ScimToken.Hash(token));
    }
}
