namespace Hub.Server.Storage.Redis;

/// <summary>
/// Where <see cref="NodeHeartbeat"/> says that Redis lost its data (restarted without persistence, flushed) while
/// this node was connected: every queue and room it held is gone. The delivery store's subscriptions hear it as a gap.
/// Its own class so that the delivery store does not depend on the heartbeat (which depends, through this node's live
/// connections, on the dispatchers that use the delivery store).
/// </summary>
public sealed class RedisDataLoss
{
    /// <summary>Raised on the heartbeat's thread; handlers must not block.</summary>
    public event Action? Lost;

    /// <summary>Tells every handler that the data was lost.</summary>
    public void Raise() => Lost?.Invoke();
}
