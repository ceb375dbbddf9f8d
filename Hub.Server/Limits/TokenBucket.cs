namespace Hub.Server.Limits;

/// <summary>
/// A token bucket: holds up to <c>burst</c> tokens, refilled at <c>perSecond</c>; each request takes one. The one
/// implementation of rate limiting in Hub. Time comes from <see cref="TimeProvider"/> so tests control it.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly double _perSecond;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    /// <summary>Creates a full bucket.</summary>
    /// <param name="perSecond">Refill rate, tokens per second; positive.</param>
    /// <param name="burst">Capacity; at least 1.</param>
    /// <param name="time">The clock.</param>
    public TokenBucket(double perSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentNullException.ThrowIfNull(time);
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes a token; when none is left, returns <c>false</c> and how long until one is.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            Refill();
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
            return false;
        }
    }

    /// <summary>Whether the bucket is full again (so forgetting it and creating a new one later changes nothing).</summary>
    public bool IsFull
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens >= _burst;
            }
        }
    }

    // Caller holds the gate. A clock that steps back adds nothing, and neither does the time it then takes to
    // catch up with the last reading.
    private void Refill()
    {
        var now = _time.GetTimestamp();
        if (now <= _last)
        {
            return;
        }
        _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _perSecond);
        _last = now;
    }
}
