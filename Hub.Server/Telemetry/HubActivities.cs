using System.Diagnostics;

namespace Hub.Server.Telemetry;

/// <summary>
/// Hub's one <see cref="ActivitySource"/> (<see cref="SourceName"/>): a send is one trace, <c>hub.send</c> in the
/// node that took it, <c>hub.store</c> around each store call, and <c>hub.dispatch</c> on every node that delivers
/// it (joined through the trace context stored with the message). With no listener (no exporter configured),
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns <c>null</c> and nothing is allocated.
/// </summary>
public static class HubActivities
{
    /// <summary>The source's name, to subscribe to (<c>AddSource</c>).</summary>
    public const string SourceName = "Hub";

    /// <summary>The source every Hub activity starts from.</summary>
    public static ActivitySource Source { get; } = new(SourceName);
}
