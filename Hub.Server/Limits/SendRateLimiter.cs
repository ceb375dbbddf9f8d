using Hub.Server.Hubs;

namespace Hub.Server.Limits;

/// <summary>
/// A token bucket for one connection's sends: <see cref="LimitsOptions.SendBurst"/> tokens, refilled at
/// <see cref="LimitsOptions.SendsPerSecond"/>. Time comes from <see cref="TimeProvider"/> so tests control it.
/// </summary>
public sealed class SendRateLimiter(double perSecond, int burst, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    /// <summary>Takes one token, or refuses with a clear message when the bucket is empty.</summary>
    public void Acquire()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * perSecond);
            _last = now;
            if (_tokens < 1)
            {
                throw new HubRequestException(
                    $"Rate limit exceeded: at most {perSecond:0.##} messages per second (bursts of {burst}); retry shortly.",
                    StatusCodes.Status429TooManyRequests);
            }
            _tokens -= 1;
        }
    }
}
