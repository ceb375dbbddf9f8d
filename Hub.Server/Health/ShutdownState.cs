namespace Hub.Server.Health;

/// <summary>Whether this node is shutting down: from then on it reports not ready, so the balancer sends nobody new.</summary>
public sealed class ShutdownState
{
    private volatile bool _draining;

    /// <summary>True once the node has begun to shut down.</summary>
    public bool Draining => _draining;

    /// <summary>Marks the node as shutting down (for good).</summary>
    public void BeginDraining() => _draining = true;
}
