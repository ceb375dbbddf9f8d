using System.Collections.Concurrent;
using System.Globalization;
using Hub.Contracts;
using Hub.Server.Common;
using Microsoft.Extensions.Options;

namespace Hub.Server.Limits;

/// <summary>
/// This node's rate limits per user, shared by all of the user's connections to the node (a user cannot get more by
/// opening more connections or reconnecting): one <see cref="TokenBucket"/> per namespace, user and
/// <see cref="RateLimit"/>. Across a cluster each node limits on its own, so a user connected to N nodes gets up to
/// N times the rate; <see cref="LimitsOptions.MaxConnectionsPerUser"/> bounds N.
/// </summary>
/// <remarks>
/// Memory stays bounded by the users active recently: a bucket idle long enough to be full again is forgotten (a new
/// full bucket is the same thing), swept at most once per <see cref="SweepInterval"/> by whichever caller comes first.
/// </remarks>
public sealed class UserRateLimiter
{
    private readonly ConcurrentDictionary<(string Ns, string User, RateLimit Kind), TokenBucket> _buckets = new();
    private readonly LimitsOptions _limits;
    private readonly TimeProvider _time;
    private readonly Lock _sweepGate = new();
    private long _lastSweep;

    /// <summary>Creates the limiter from the <c>Limits</c> options.</summary>
    public UserRateLimiter(IOptions<LimitsOptions> limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        _limits = limits.Value;
        _time = time;
        _lastSweep = time.GetTimestamp();
        // The longest time any bucket takes to fill up: a bucket idle that long is full and can go.
        SweepInterval = TimeSpan.FromSeconds(Math.Max(1, Enum.GetValues<RateLimit>().Max(kind => Rate(kind).Burst / Rate(kind).PerSecond)));
    }

    /// <summary>How often idle buckets are looked for.</summary>
    public TimeSpan SweepInterval { get; }

    /// <summary>Buckets held now (for tests and stats).</summary>
    public int Count => _buckets.Count;

    /// <summary>Takes one token of <paramref name="kind"/> for the user, or refuses with the limit and when to retry.</summary>
    /// <exception cref="HubRequestException">Status 429, <see cref="HubErrorCodes.RateLimited"/> with the exact time until the next token.</exception>
    public void Acquire(string ns, string user, RateLimit kind)
    {
        if (!TryTake(ns, user, kind, out var retryAfter))
        {
            var (perSecond, burst, what) = Rate(kind);
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            throw new HubRequestException(string.Create(CultureInfo.InvariantCulture,
                $"Rate limit exceeded: at most {perSecond:0.##} {what} per second (bursts of {burst}) per user; retry after {seconds} s."),
                StatusCodes.Status429TooManyRequests, HubErrorCodes.RateLimited, retryAfter);
        }
    }

    /// <summary>Takes one token of <paramref name="kind"/> for the user if there is one; for what is dropped rather than refused.</summary>
    public bool TryAcquire(string ns, string user, RateLimit kind) => TryTake(ns, user, kind, out _);

    private bool TryTake(string ns, string user, RateLimit kind, out TimeSpan retryAfter)
    {
        SweepIfDue();
        var (perSecond, burst, _) = Rate(kind);
        var bucket = _buckets.GetOrAdd((ns, user, kind), static (_, state) => new TokenBucket(state.perSecond, state.burst, state.time),
            (perSecond, burst, time: _time));
        return bucket.TryTake(out retryAfter);
    }

    private (double PerSecond, int Burst, string What) Rate(RateLimit kind) => kind switch
    {
        RateLimit.Send => (_limits.SendsPerSecond, _limits.SendBurst, "messages"),
        RateLimit.RoomChange => (_limits.RoomChangesPerSecond, _limits.RoomChangeBurst, "room changes"),
        RateLimit.Read => (_limits.ReadsPerSecond, _limits.ReadBurst, "reads"),
        RateLimit.Typing => (_limits.TypingPerSecond, _limits.TypingBurst, "typing signals"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private void SweepIfDue()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastSweep), now) < SweepInterval || !_sweepGate.TryEnter())
        {
            return;
        }
        try
        {
            if (_time.GetElapsedTime(_lastSweep, now) < SweepInterval)
            {
                return;
            }
            Interlocked.Exchange(ref _lastSweep, now);
            foreach (var (key, bucket) in _buckets)
            {
                // A caller that fetched this bucket just before it goes may take its token from it while the next
                // caller gets a new full one: at most one extra token, only for a user idle a whole refill time.
                if (bucket.IsFull)
                {
                    _buckets.TryRemove(new KeyValuePair<(string, string, RateLimit), TokenBucket>(key, bucket));
                }
            }
        }
        finally
        {
            _sweepGate.Exit();
        }
    }
}
