namespace Hub.Redis.Connections;

/// <summary>Capped exponential back-off with jitter, so many clients of a restarted Redis do not reconnect in lock step.</summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    /// <summary>The delay before retry number <paramref name="failures"/> (1 = after the first failure).</summary>
    public TimeSpan GetDelay(int failures)
    {
        // 2^20 times any sensible base is far above any cap; clamping the exponent avoids overflow.
        var exponent = Math.Clamp(failures - 1, 0, 20);
        var raw = _baseDelay.TotalMilliseconds * (1L << exponent);
        var capped = Math.Min(raw, _maxDelay.TotalMilliseconds);
        // Jitter downwards (80-100 %) so the cap stays a real upper bound.
        var jittered = capped * (0.8 + (0.2 * Random.Shared.NextDouble()));
        return TimeSpan.FromMilliseconds(jittered);
    }
}
