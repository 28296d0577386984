using Microsoft.Extensions.Time.Testing;
using ScimFunctions.Auth;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Auth;

public sealed class AuthFailureLimiterTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static (AuthFailureLimiter Limiter, FakeTimeProvider Time) Create(int limit = 3, int capacity = 100)
    {
        var time = new FakeTimeProvider(Start);
        var options = new ScimAuthOptions { AuthFailureLimit = limit, AuthFailureWindow = TimeSpan.FromSeconds(60), CacheCapacity = capacity };
        return (new AuthFailureLimiter(options, time), time);
    }

    [Fact]
    public void Past_the_limit_within_the_window_a_client_is_told_when_to_retry_and_the_window_slides()
    {
        var (limiter, time) = Create();

        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(limiter.RecordFailure("d1", "10.0.0.1")));
        Assert.Equal(TimeSpan.FromSeconds(60), limiter.RecordFailure("d1", "10.0.0.1"));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), limiter.RecordFailure("d1", "10.0.0.1"));

        // Once the early failures leave the window, the client is below the limit again.
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(limiter.RecordFailure("d1", "10.0.0.1"));
    }

    [Fact]
    public void Each_directory_and_client_address_has_its_own_window()
    {
        var (limiter, _) = Create(limit: 1);
        Assert.Null(limiter.RecordFailure("d1", "10.0.0.1"));
        Assert.NotNull(limiter.RecordFailure("d1", "10.0.0.1"));

        Assert.Null(limiter.RecordFailure("d1", "10.0.0.2"));
        Assert.Null(limiter.RecordFailure("d2", "10.0.0.1"));
    }

    [Fact]
    public void A_flood_of_addresses_is_bounded_quiet_ones_are_forgotten()
    {
        var (limiter, time) = Create(limit: 1, capacity: 2);
        limiter.RecordFailure("d1", "a");
        limiter.RecordFailure("d1", "b");
        // The table is full of live windows: a new address is not tracked (it gets plain 401s).
        Assert.Null(limiter.RecordFailure("d1", "c"));
        Assert.Null(limiter.RecordFailure("d1", "c"));

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(limiter.RecordFailure("d1", "c"));
        Assert.NotNull(limiter.RecordFailure("d1", "c"));
    }

    [Theory]
    [InlineData(ScimAuthFailure.MissingOrMalformedToken, true)]
    [InlineData(ScimAuthFailure.UnknownOrRevokedToken, true)]
    [InlineData(ScimAuthFailure.TokenMismatch, true)]
    [InlineData(ScimAuthFailure.WrongDirectory, true)]
    [InlineData(ScimAuthFailure.TokenExpired, false)]
    [InlineData(ScimAuthFailure.DirectoryDisabled, false)]
    [InlineData(ScimAuthFailure.TokenStoreUnavailable, false)]
    public void Only_bad_bearer_values_count(ScimAuthFailure failure, bool counts) =>
        Assert.Equal(counts, AuthFailureLimiter.IsBadToken(failure));
}
