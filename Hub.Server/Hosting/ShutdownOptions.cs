namespace Hub.Server.Hosting;

/// <summary>How a node leaves on SIGTERM (a rolling restart). Bound from the <c>Shutdown</c> section.</summary>
public sealed class ShutdownOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Shutdown";

    /// <summary>
    /// How long the node keeps serving, already reporting not ready (<c>/readyz</c> 503), before it asks its clients
    /// to reconnect: time for the balancer to stop sending it new connections. Default 5 s.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most a shutdown may take, drain delay included; then the process exits regardless. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
