namespace Hub.Bench.Load;

/// <summary>How the simulated users connect.</summary>
public sealed class ClientSettings
{
    /// <summary>
    /// Negotiate before opening the WebSocket (what a browser does). Off by default: the benchmark measures message
    /// delivery, and skipping the extra request lets nginx round-robin without sticky sessions.
    /// </summary>
    public bool Negotiate { get; init; }

    /// <summary>How many users connect at the same time while setting up.</summary>
    public int ConnectConcurrency { get; init; } = 64;

    /// <summary>How often clients send acks at the latest (they also send every 100 ids). Hub.Client's default: 200 ms.</summary>
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
