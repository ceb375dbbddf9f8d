using Hub.Server.Common;
using Hub.Server.Hubs;
using Hub.Server.Limits;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Limits;

/// <summary>The token bucket and the per-user registry of buckets, on a clock the tests move by hand.</summary>
public sealed class TokenBucketTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_full_bucket_gives_its_burst_then_refuses_with_the_time_until_the_next_token()
    {
        var bucket = new TokenBucket(perSecond: 2, burst: 3, _time);

        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(0.5), retryAfter);

        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out _));
    }

    [Fact]
    public void An_idle_bucket_refills_only_up_to_its_burst()
    {
        var bucket = new TokenBucket(perSecond: 1, burst: 2, _time);
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.IsFull);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.True(bucket.IsFull);
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out _));
    }

    [Fact]
    public void A_clock_stepping_back_adds_no_tokens()
    {
        var bucket = new TokenBucket(perSecond: 1, burst: 1, _time);
        Assert.True(bucket.TryTake(out _));

        _time.Advance(TimeSpan.FromSeconds(-10));
        Assert.False(bucket.TryTake(out _));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(bucket.TryTake(out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(bucket.TryTake(out _));
    }

    [Fact]
    public void A_user_has_one_budget_per_kind_and_namespace_and_a_refusal_says_when_to_retry()
    {
        var limiter = Limiter(new LimitsOptions { SendsPerSecond = 0.5, SendBurst = 2, ReadsPerSecond = 1, ReadBurst = 1 });

        limiter.Acquire("chat", "alice", RateLimit.Send);
        limiter.Acquire("chat", "alice", RateLimit.Send);
        var refused = Assert.Throws<HubRequestException>(() => limiter.Acquire("chat", "alice", RateLimit.Send));

        Assert.Equal(429, refused.StatusCode);
        Assert.Equal("Rate limit exceeded: at most 0.5 messages per second (bursts of 2) per user; retry after 2 s.", refused.Message);
        // Other kinds, users and namespaces have their own buckets.
        limiter.Acquire("chat", "alice", RateLimit.Read);
        limiter.Acquire("chat", "bob", RateLimit.Send);
        limiter.Acquire("notifications", "alice", RateLimit.Send);
        Assert.Contains("at most 1 reads per second (bursts of 1)", Assert.Throws<HubRequestException>(() => limiter.Acquire("chat", "alice", RateLimit.Read)).Message);
    }

    [Fact]
    public void Buckets_idle_long_enough_to_be_full_are_forgotten_so_memory_follows_the_active_users()
    {
        var limiter = Limiter(new LimitsOptions { SendsPerSecond = 1, SendBurst = 10, RoomChangesPerSecond = 1, RoomChangeBurst = 5, ReadsPerSecond = 1, ReadBurst = 5 });
        for (var i = 0; i < 100; i++)
        {
            limiter.Acquire("chat", $"user{i}", RateLimit.Send);
        }
        Assert.Equal(100, limiter.Count);
        Assert.Equal(TimeSpan.FromSeconds(10), limiter.SweepInterval);

        _time.Advance(TimeSpan.FromSeconds(5));
        limiter.Acquire("chat", "active", RateLimit.Send);
        Assert.Equal(101, limiter.Count);

        // Ten seconds on, the idle users' buckets are full again: the next call sweeps them away.
        _time.Advance(TimeSpan.FromSeconds(5));
        limiter.Acquire("chat", "active", RateLimit.Send);
        Assert.Equal(1, limiter.Count);
    }

    [Fact]
    public void The_sweep_keeps_the_bucket_of_a_user_that_is_still_spending()
    {
        var limiter = Limiter(new LimitsOptions { SendsPerSecond = 0.1, SendBurst = 2 });
        Assert.Equal(TimeSpan.FromSeconds(20), limiter.SweepInterval);
        limiter.Acquire("chat", "alice", RateLimit.Send);
        limiter.Acquire("chat", "alice", RateLimit.Send);
        _time.Advance(TimeSpan.FromSeconds(15));
        limiter.Acquire("chat", "alice", RateLimit.Send);

        // The sweep is due now; alice's bucket holds one token, not two, so it stays and a forgotten-and-refilled
        // bucket cannot hand her a second one.
        _time.Advance(TimeSpan.FromSeconds(5));
        limiter.Acquire("chat", "alice", RateLimit.Send);
        Assert.Throws<HubRequestException>(() => limiter.Acquire("chat", "alice", RateLimit.Send));
    }

    private UserRateLimiter Limiter(LimitsOptions options) => new(Options.Create(options), _time);
}
