namespace Hub.Bench.Load;

/// <summary>Timing and shape of a load phase, shared by the scenarios.</summary>
public sealed class RunSettings
{
    /// <summary>Measured sending time.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Sending before the measured window (JIT, pools, Redis script cache warm up).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Longest wait after sending for the last deliveries.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Approximate message text length.</summary>
    public int TextSize { get; init; } = 100;

    /// <summary>Sends awaiting their result per publisher.</summary>
    public int MaxInFlight { get; init; } = 64;

    /// <summary>Upper bound on messages per publisher, whatever the rate and duration.</summary>
    public long MaxMessagesPerPublisher { get; init; } = 5_000_000;

    /// <summary>No progress line.</summary>
    public bool Quiet { get; init; }
}
