namespace Hub.Tests.Infrastructure;

/// <summary>A clock tests move by hand (Microsoft.Extensions.TimeProvider.Testing is not in this machine's NuGet mirror).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    /// <summary>Starts at a fixed, recent instant.</summary>
    public ManualTimeProvider() : this(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Moves the clock (backwards too, to test clock steps).</summary>
    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
